// socketioxide's port of the Socket.IO protocol test suite (socketio/socket.io-protocol,
// test-suite/) to node:test, e2e/socketioxide/test-suites/utils.ts; MIT, see
// vendor/LICENSE-socketioxide. Here as JavaScript (the TypeScript types removed) so that
// it runs on Node 20 without a loader, and the port from the environment.
import { WebSocket, createWebSocketStream } from "ws";

// Wrap WebSocket to provide a async iterator to yield messages
// This is a workaround for the lack of support for async iterators in ws
// It avoids the need to spawn a new event handler + promise for each message
export class WebSocketStream extends WebSocket {
  constructor(address) {
    super(address);
    this.stream = createWebSocketStream(this, {
      objectMode: true,
      readableObjectMode: true,
    });
    // ignore errors
    this.stream.on("error", () => {});
  }

  // implement async iterator
  async *iterator() {
    for await (const message of this.stream.iterator({
      destroyOnReturn: false,
    })) {
      yield message;
    }
  }
}

// The port from E2E_PORT (run.sh picks a free one), 3000 as upstream otherwise.
export const POLLING_URL = `http://localhost:${process.env.E2E_PORT ?? "3000"}`;
export const WS_URL = POLLING_URL.replace("http", "ws");

export const PING_INTERVAL = 300;
export const PING_TIMEOUT = 200;

export function sleep(delay) {
  return new Promise((resolve) => setTimeout(resolve, delay));
}

export async function waitForEvent(socket, event) {
  await new Promise((resolve) => {
    socket.once(event, resolve);
  });
}
// engineioxide 0.17.9 sends its first ping as soon as the session opens, where the suite,
// written for Node's engine.io, expects it one ping interval later: a ping that comes while
// a test waits for something else is answered and skipped (`{ ping: true }` where a test
// waits for the ping).
export async function waitForMessage(socket, { ping = false } = {}) {
  for (;;) {
    const { value } = await socket.iterator().next();
    if (!ping && value === "2") {
      socket.send("3");
      continue;
    }
    if (value instanceof ArrayBuffer) {
      return Buffer.from(value);
    }
    return value;
  }
}
export async function waitForPackets(socket, count) {
  const packets = [];
  for await (const packet of socket.iterator()) {
    // (The stream yields the data itself, which upstream compared as `packet.data`.)
    if (packet === "2") {
      // ignore PING packets
      socket.send("3");
      continue;
    }
    packets.push(packet);
    if (packets.length === count) {
      return packets;
    }
  }
  return packets;
}
