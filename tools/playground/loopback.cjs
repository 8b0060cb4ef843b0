// Preloaded with `node --require ./loopback.cjs`: makes the Agents Playground listen on 127.0.0.1 only.
// The Playground calls server.listen(port) without a host, which binds every interface; its /_connector and
// /_internal endpoints need no authentication, so they must not be reachable from the network.
"use strict";
const net = require("node:net");
const host = process.env.PLAYGROUND_HOST || "127.0.0.1";
const listen = net.Server.prototype.listen;
net.Server.prototype.listen = function (...args) {
  const first = args[0];
  if (typeof first === "number" || (typeof first === "string" && /^\d+$/.test(first))) {
    if (typeof args[1] !== "string") {
      args.splice(1, 0, host);
    }
  } else if (first && typeof first === "object" && first.port !== undefined && first.host === undefined && first.path === undefined) {
    args[0] = { ...first, host };
  }
  return listen.apply(this, args);
};
