// socketioxide's port of the Engine.IO protocol test suite (socketio/engine.io-protocol,
// test-suite/) to node:test, e2e/engineioxide/test-suites/utils.ts; MIT, see
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
export async function waitForMessage(socket) {
  const { value } = await socket.iterator().next();
  return value;
}
export async function waitForPackets(socket, count) {
  const packets = [];
  for await (const packet of socket.iterator()) {
    if (packet.data === "2") {
      // ignore PING packets
      continue;
    }
    packets.push(packet);
    if (packets.length === count) {
      return packets;
    }
  }
  return packets;
}
