// What a client is told when the body of its request cannot be read: body-parser's errors (bad
// JSON, an unsupported charset or Content-Encoding, too large, cut short) become a coded 4xx
// problem saying what to change. Anything that is not such an error is the server's own: 500,
// without details.
export interface HttpProblem {
  status: number;
  code: string;
  message: string;
  hint: string;
}

interface BodyParserError {
  status?: number;
  statusCode?: number;
  type?: string;
  charset?: string;
  encoding?: string;
  limit?: number;
}

export function bodyReadProblem(error: unknown): HttpProblem | undefined {
  const e = (error ?? {}) as BodyParserError;
  const status = e.status ?? e.statusCode;
  if (status === undefined || status < 400 || status >= 500) return undefined;
  switch (e.type) {
    case 'entity.too.large':
    case 'parameters.too.many':
      return {
        status: 413,
        code: 'PAYLOAD_TOO_LARGE',
        message: 'The request body is larger than this endpoint accepts.',
        hint: e.limit ? `Send at most ${e.limit} bytes; split larger batches.` : 'Send a smaller body.',
      };
    case 'entity.parse.failed':
      return {
        status: 400,
        code: 'MALFORMED_BODY',
        message: 'The request body is not valid for its content type (malformed JSON?).',
        hint: 'Send well-formed JSON (UTF-8) with Content-Type: application/json.',
      };
    case 'charset.unsupported':
      return {
        status: 415,
        code: 'UNSUPPORTED_CHARSET',
        message: `The charset ${JSON.stringify(String(e.charset ?? '').slice(0, 40))} is not accepted.`,
        hint: 'Send the body as UTF-8 (Content-Type: application/json; charset=utf-8).',
      };
    case 'encoding.unsupported':
      return {
        status: 415,
        code: 'UNSUPPORTED_CONTENT_ENCODING',
        message: `The Content-Encoding ${JSON.stringify(String(e.encoding ?? '').slice(0, 40))} is not accepted.`,
        hint: 'Send the body uncompressed, or gzip or deflate it and say so in Content-Encoding.',
      };
    case 'request.aborted':
    case 'request.size.invalid':
      return {
        status: 400,
        code: 'BODY_INCOMPLETE',
        message: 'The request body ended before its Content-Length said it would.',
        hint: 'Send the whole body, with a Content-Length that matches it.',
      };
    default:
      return {
        status,
        code: status === 415 ? 'UNSUPPORTED_MEDIA_TYPE' : 'BAD_REQUEST',
        message: 'The request body could not be read (compressed data damaged, or malformed?).',
        hint: 'Check the Content-Type and Content-Encoding headers against the body you send.',
      };
  }
}
