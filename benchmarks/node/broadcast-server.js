'use strict';
// The Node.js baseline of the ETRMS fan-out benchmark: the minimal `ws` broadcast server.
//
//   node broadcast-server.js [port]      (0 or none: any free port; listens on 127.0.0.1 only)
//
// Clients connect to /api/v1/ws/{risk-metrics|alerts} (the query string is ignored: every
// client of a channel gets every message). The benchmark feeds it over /feed/{risk-metrics|alerts}:
// each text message received there is sent as-is to every open client of that channel, the
// broadcast loop from the ws README. GET /gc runs a full garbage collection (when started with
// --expose-gc) before the benchmark reads the memory. Prints "READY <port>" once listening; exits
// when stdin closes.
const http = require('http');
const { WebSocketServer, WebSocket } = require('ws');

const port = Number(process.argv[2] || 0);
const channels = { 'risk-metrics': new Set(), alerts: new Set() };
const server = http.createServer((req, res) => {
  if (req.url === '/gc' && typeof global.gc === 'function') {
    global.gc();
    res.writeHead(200);
  } else {
    res.writeHead(404);
  }
  res.end();
});
const wss = new WebSocketServer({ noServer: true });

server.on('upgrade', (req, socket, head) => {
  const path = new URL(req.url, 'http://localhost').pathname;
  const match = path.match(/^\/(api\/v1\/ws|feed)\/(risk-metrics|alerts)$/);
  if (!match) {
    socket.destroy();
    return;
  }
  const [, kind, channel] = match;
  wss.handleUpgrade(req, socket, head, (ws) => {
    ws.on('error', () => {});
    if (kind === 'feed') {
      ws.on('message', (data) => {
        for (const client of channels[channel]) {
          if (client.readyState === WebSocket.OPEN) {
            client.send(data, { binary: false });
          }
        }
      });
    } else {
      channels[channel].add(ws);
      ws.on('close', () => channels[channel].delete(ws));
    }
  });
});

server.listen(port, '127.0.0.1', () => {
  console.log(`READY ${server.address().port}`);
});
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
