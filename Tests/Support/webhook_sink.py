"""A webhook receiver on loopback for the notification tests: each POST's path and JSON body is
written to DIR/<n>.json. While the file DIR/fail exists, it answers 500 instead (a receiver that is
down). Prints its port on the first line of standard output once it listens.

Usage: python3 webhook_sink.py DIR
"""
import json
import os
import sys
from http.server import BaseHTTPRequestHandler, HTTPServer

folder = sys.argv[1]


class Sink(BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        if os.path.exists(os.path.join(folder, "fail")):
            self.send_response(500)
            self.end_headers()
            self.wfile.write(b"down for the test")
            return
        count = len([f for f in os.listdir(folder) if f.endswith(".json")])
        record = {"path": self.path, "content_type": self.headers.get("Content-Type"), "body": json.loads(body)}
        with open(os.path.join(folder, f"{count + 1}.json"), "w") as f:
            json.dump(record, f)
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args):
        pass


server = HTTPServer(("127.0.0.1", 0), Sink)
print(server.server_address[1], flush=True)
server.serve_forever()
