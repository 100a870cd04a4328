// Times the requests of one path, from their arrival to their answer having been sent. For Slack
// that answer is the ack (slackHttpReceiver acks before working), so this is the ack latency.
import type { RequestHandler } from 'express';

export function timeRequests(done: (status: number, seconds: number) => void): RequestHandler {
  return (_req, res, next) => {
    const started = process.hrtime.bigint();
    res.once('finish', () => done(res.statusCode, Number(process.hrtime.bigint() - started) / 1e9));
    next();
  };
}
