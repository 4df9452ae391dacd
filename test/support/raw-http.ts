/**
 * HTTP/1.1 by hand over a TCP socket, for what fetch cannot do: bodies that never finish, headers
 * sent a byte at a time, interim `100 Continue` answers, and seeing the server close the socket.
 */
import { connect, type Socket } from 'node:net';

export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
  /** Interim answers (100 Continue) seen before this one. */
  interim: number[];
}

export interface RawConnection {
  socket: Socket;
  /** Everything the server sent so far. */
  received(): string;
  /** The first final response, once its headers and announced body are in. */
  response: Promise<RawResponse>;
  /** Resolves when the server (or the test) has closed the socket. */
  closed: Promise<void>;
}

function parse(text: string): RawResponse | undefined {
  const interim: number[] = [];
  let rest = text;
  for (;;) {
    const end = rest.indexOf('\r\n\r\n');
    if (end === -1) return undefined;
    const [statusLine = '', ...lines] = rest.slice(0, end).split('\r\n');
    const status = Number(statusLine.split(' ')[1]);
    const headers = Object.fromEntries(
      lines.map((line) => [line.slice(0, line.indexOf(':')).trim().toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]),
    );
    rest = rest.slice(end + 4);
    if (status >= 100 && status < 200) {
      interim.push(status);
      continue;
    }
    const length = Number(headers['content-length'] ?? 0);
    if (Buffer.byteLength(rest) < length) return undefined;
    return { status, headers, body: rest.slice(0, length), interim };
  }
}

/** Opens a connection to 127.0.0.1:`port` and writes `head` (request line and headers, CRLF-separated) as given. */
export function openRaw(port: number, head = ''): RawConnection {
  const socket = connect(port, '127.0.0.1');
  socket.setEncoding('latin1');
  let text = '';
  let settle: (response: RawResponse) => void = () => undefined;
  let fail: (error: Error) => void = () => undefined;
  const response = new Promise<RawResponse>((resolve, reject) => {
    settle = resolve;
    fail = reject;
  });
  // Awaited by the tests that expect an answer; a test that only waits for the close must not see it as unhandled.
  response.catch(() => undefined);
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  socket.on('data', (chunk: string) => {
    text += chunk;
    const parsed = parse(text);
    if (parsed !== undefined) settle(parsed);
  });
  socket.on('error', () => undefined);
  socket.once('close', () => fail(new Error(`closed before a whole response; got ${JSON.stringify(text.slice(0, 200))}`)));
  if (head !== '') socket.write(head);
  return { socket, received: () => text, response, closed };
}

/** Request line and headers, CRLF-joined and ended by the blank line. */
export function requestHead(method: string, path: string, headers: Record<string, string | number>): string {
  const lines = [`${method} ${path} HTTP/1.1`, 'Host: 127.0.0.1', ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`)];
  return `${lines.join('\r\n')}\r\n\r\n`;
}
