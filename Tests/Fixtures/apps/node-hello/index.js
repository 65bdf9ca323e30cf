// A Node micro with no `run`: the node starts `node index.js`, which must listen on $PORT.
const http = require("http");

http
  .createServer((request, response) => {
    const body = JSON.stringify({
      engine: "node",
      path: request.url,
      micro: process.env.DETA_SPACE_APP_MICRO_NAME,
      hasKey: (process.env.DETA_PROJECT_KEY || "").includes("_"),
    });
    response.writeHead(200, { "Content-Type": "application/json" });
    response.end(body);
  })
  .listen(Number(process.env.PORT), () => console.log(`node-hello listening on ${process.env.PORT}`));
