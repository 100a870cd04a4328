import { Writable } from 'node:stream';

/** A writable that keeps everything written to it, for asserting on log output. */
export class CollectingStream extends Writable {
  readonly chunks: string[] = [];
  override _write(chunk: Buffer | string, _encoding: BufferEncoding, callback: () => void): void {
    this.chunks.push(chunk.toString());
    callback();
  }
  text(): string {
    return this.chunks.join('');
  }
}
