#!/usr/bin/env python3
"""A real SMTP server (aiosmtpd) for Tsunagu's e-mail tests (Tests/AppTests/EmailDeliveryTests.swift).

    smtp_sink.py OUTDIR [--no-8bitmime] [--auth USER PASSWORD]

Listens on 127.0.0.1 on a free port and prints the port on the first line of stdout. Each message
received is parsed with Python's own e-mail package (policy.default decodes RFC 2047 subjects and
the body's transfer encoding) and written to OUTDIR/N.json. Exits when stdin closes (the test ended or died), or after 600 s at most.
--no-8bitmime hides the 8BITMIME extension, so the client must fall back to base64 bodies.
--auth requires AUTH (PLAIN/LOGIN) with these credentials before MAIL FROM.
"""
import asyncio
import email
import json
import os
import sys
from email import policy

from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword

out_dir = sys.argv[1]
args = sys.argv[2:]
hide_8bitmime = "--no-8bitmime" in args
credentials = None
if "--auth" in args:
    i = args.index("--auth")
    credentials = (args[i + 1].encode(), args[i + 2].encode())


class Handler:
    count = 0

    async def handle_DATA(self, server, session, envelope):
        raw = envelope.original_content or envelope.content
        message = email.message_from_bytes(raw, policy=policy.default)
        Handler.count += 1
        record = {
            "mail_from": envelope.mail_from,
            "rcpt_tos": envelope.rcpt_tos,
            "subject": str(message["subject"]),
            "raw_subject_header": raw.split(b"\r\n\r\n", 1)[0].decode("ascii", "replace"),
            "body": message.get_content(),
            "content_type": message.get_content_type(),
            "charset": message.get_content_charset(),
            "transfer_encoding": str(message["Content-Transfer-Encoding"]),
            "authenticated": bool(session.authenticated),
        }
        path = os.path.join(out_dir, "%d.json" % Handler.count)
        with open(path + ".tmp", "w", encoding="utf-8") as f:
            json.dump(record, f, ensure_ascii=False)
        os.rename(path + ".tmp", path)
        return "250 Message accepted"


def authenticator(server, session, envelope, mechanism, auth_data):
    ok = isinstance(auth_data, LoginPassword) and (auth_data.login, auth_data.password) == credentials
    return AuthResult(success=ok, handled=False)


class Server(SMTP):
    async def push(self, status):
        if hide_8bitmime and str(status).startswith("250-8BITMIME"):
            return
        await super().push(status)


async def main():
    loop = asyncio.get_running_loop()
    options = {}
    if credentials:
        options = dict(authenticator=authenticator, auth_required=True, auth_require_tls=False)
    server = await loop.create_server(lambda: Server(Handler(), **options), "127.0.0.1", 0)
    print(server.sockets[0].getsockname()[1], flush=True)
    try:
        await asyncio.wait_for(loop.run_in_executor(None, sys.stdin.read), timeout=600)
    except asyncio.TimeoutError:
        pass
    server.close()


asyncio.run(main())
