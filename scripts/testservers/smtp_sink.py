"""A test SMTP sink on loopback (Debian python3-aiosmtpd): stores every accepted mail as a file.

Each mail is written to MAILDIR/<time>-<uuid>.eml (written to a dot-file, fsynced, then renamed, so
a reader never sees half a mail). Options let a test make it refuse recipients (550), answer slowly
after storing a mail, or require AUTH. Prints "listening on 127.0.0.1:PORT" once bound.
"""
import argparse
import asyncio
import fnmatch
import os
import signal
import sys
import time
import uuid

from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword


class Sink:
    def __init__(self, maildir, reject, delay):
        self.maildir = maildir
        self.reject = [p.lower() for p in reject]
        self.delay = delay

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if any(fnmatch.fnmatch(address.lower(), p) for p in self.reject):
            return "550 5.1.1 <%s>: recipient refused by the test sink" % address
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        name = "%d-%s.eml" % (time.time_ns(), uuid.uuid4().hex)
        tmp = os.path.join(self.maildir, "." + name)
        with open(tmp, "wb") as f:
            f.write(envelope.original_content or envelope.content)
            f.flush()
            os.fsync(f.fileno())
        os.rename(tmp, os.path.join(self.maildir, name))
        if self.delay > 0:
            # Stored but not yet answered: a client killed now has delivered a mail it does not know about.
            await asyncio.sleep(self.delay)
        return "250 2.0.0 stored as %s" % name


def authenticator(user, password):
    def check(server, session, envelope, mechanism, auth_data):
        ok = isinstance(auth_data, LoginPassword) and auth_data.login.decode() == user and auth_data.password.decode() == password
        return AuthResult(success=ok)
    return check


async def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("maildir")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--reject", action="append", default=[], help="refuse recipients matching this glob with 550")
    parser.add_argument("--delay", type=float, default=0.0, help="seconds to wait after storing a mail before answering 250")
    parser.add_argument("--auth", help="USER:PASSWORD; AUTH is then required")
    args = parser.parse_args()
    os.makedirs(args.maildir, exist_ok=True)
    sink = Sink(args.maildir, args.reject, args.delay)
    kwargs = {}
    if args.auth:
        user, _, password = args.auth.partition(":")
        kwargs = dict(auth_required=True, auth_require_tls=False, authenticator=authenticator(user, password))

    loop = asyncio.get_running_loop()
    server = await loop.create_server(
        lambda: SMTP(sink, hostname="sink.test", data_size_limit=50 * 1024 * 1024, **kwargs),
        host="127.0.0.1", port=args.port, reuse_address=True)
    port = server.sockets[0].getsockname()[1]
    print("listening on 127.0.0.1:%d" % port, flush=True)
    stop = asyncio.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    await stop.wait()
    server.close()


if __name__ == "__main__":
    asyncio.run(main())
