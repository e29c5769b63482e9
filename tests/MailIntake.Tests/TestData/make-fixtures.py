#!/usr/bin/env python3
"""Writes the byte-exact .eml fixtures of the mail intake tests. Run once; the .eml files are committed.

    python3 make-fixtures.py    (from this folder)
"""
import base64
import quopri

def b(charset, text, codec=None):
    return "=?%s?B?%s?=" % (charset, base64.b64encode(text.encode(codec or charset)).decode("ascii"))

def q(charset, text, codec=None):
    raw = quopri.encodestring(text.encode(codec or charset), header=True).decode("ascii")
    return "=?%s?Q?%s?=" % (charset, raw.replace("\n", ""))

def write(name, head, body: bytes):
    data = head.replace("\n", "\r\n").encode("ascii") + b"\r\n" + body
    with open(name, "wb") as f:
        f.write(data)

def b64body(data: bytes) -> bytes:
    return base64.encodebytes(data).replace(b"\n", b"\r\n")

# GB2312, declared and true: a fee complaint.
write("gb2312.eml", f"""From: {b('gb2312', '张三')} <zhangsan@example.cn>
To: support@example.com
Subject: {b('gb2312', '投诉：话费被多扣')}
Date: Mon, 23 Nov 2026 10:00:00 +0800
Message-ID: <gb2312-1@example.cn>
MIME-Version: 1.0
Content-Type: text/plain; charset=gb2312
Content-Transfer-Encoding: base64
""", b64body("您好，我的手机本月被多扣了十元费用，请尽快退费。".encode("gb2312")))

# Declared gb2312, but holding GBK-only characters (镕, 喆, 堃), as Chinese Outlook sends.
write("gbk-as-gb2312.eml", f"""From: {q('gb2312', '朱镕', 'gbk')} <zhurong@example.cn>
To: support@example.com
Subject: {q('gb2312', '咨询：陶喆和王堃的彩铃', 'gbk')}
Date: Mon, 23 Nov 2026 10:01:00 +0800
Message-ID: <gbk-1@example.cn>
MIME-Version: 1.0
Content-Type: text/plain; charset="GB2312"
Content-Transfer-Encoding: 8bit
""", "请问陶喆和王堃的彩铃怎么订购？朱镕".encode("gbk") + b"\r\n")

# GB18030 with four-byte characters (CJK extension A and B).
write("gb18030.eml", f"""From: =?GB18030?B?{base64.b64encode('李䶮'.encode('gb18030')).decode()}?= <liyan@example.cn>
To: support@example.com
Subject: {b('gb18030', '故障申告：𠀀字显示不出来')}
Date: Mon, 23 Nov 2026 10:02:00 +0800
Message-ID: <gb18030-1@example.cn>
MIME-Version: 1.0
Content-Type: text/plain; charset=gb18030
Content-Transfer-Encoding: base64
""", b64body("我的名字里有䶮字，短信里显示成问号。𠀀".encode("gb18030")))

# Big5 (Taiwan, Hong Kong).
write("big5.eml", f"""From: {b('big5', '陳大文')} <chan@example.hk>
To: support@example.com
Subject: {q('big5', '查詢：我的手機無法使用')}
Date: Mon, 23 Nov 2026 10:03:00 +0800
Message-ID: <big5-1@example.hk>
MIME-Version: 1.0
Content-Type: text/plain; charset=big5
Content-Transfer-Encoding: 8bit
""", "您好，我的手機訂閱的服務無法使用，請協助處理。".encode("big5") + b"\r\n")

# ISO-2022-JP (Japanese).
write("iso-2022-jp.eml", f"""From: {b('ISO-2022-JP', '山田太郎', 'iso2022_jp')} <yamada@example.jp>
To: support@example.com
Subject: {b('ISO-2022-JP', 'お問い合わせ：料金について', 'iso2022_jp')}
Date: Mon, 23 Nov 2026 10:04:00 +0900
Message-ID: <jp-1@example.jp>
MIME-Version: 1.0
Content-Type: text/plain; charset=ISO-2022-JP
Content-Transfer-Encoding: 7bit
""", "サービスの料金について教えてください。".encode("iso2022_jp") + b"\r\n")

# RFC 2047 words split over folded lines, RFC 2231 file name with continuation, an attachment.
pdf = b"%PDF-1.4 fake invoice\n"
subject_words = b('UTF-8', '投诉：') + "\n " + b('UTF-8', '重复扣费') + " refund"
write("rfc2231.eml", f"""From: {q('UTF-8', '王 五')} <wangwu@example.cn>
To: support@example.com
Subject: {subject_words}
Date: Mon, 23 Nov 2026 10:05:00 +0800
Message-ID: <rfc2231-1@example.cn>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="b1"
""", f"""--b1
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: base64

{base64.b64encode('附件是扣费的发票。'.encode()).decode()}
--b1
Content-Type: application/pdf
Content-Disposition: attachment;
 filename*0*=utf-8''%E6%89%A3%E8%B4%B9;
 filename*1*=%E5%8F%91%E7%A5%A8.pdf
Content-Transfer-Encoding: base64

{base64.b64encode(pdf).decode()}
--b1--
""".replace("\n", "\r\n").encode("ascii"))

# HTML only, with a script, entities, and an inline image (multipart/related).
png = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==")
html = """<html><head><title>t</title><style>p{color:red}</style></head><body>
<p>您好&nbsp;客服，</p><p>我的<b>会员</b>无法登录&amp;使用。</p><script>alert('x')</script>
<div>截图如下：<img src="cid:shot1@example.cn" onerror="steal()"></div></body></html>"""
write("html-only.eml", f"""From: Zhao Liu <zhaoliu@example.cn>
To: support@example.com
Subject: {b('UTF-8', '会员无法登录')}
Date: Mon, 23 Nov 2026 10:06:00 +0800
Message-ID: <html-1@example.cn>
MIME-Version: 1.0
Content-Type: multipart/related; boundary="r1"
""", f"""--r1
Content-Type: text/html; charset=utf-8
Content-Transfer-Encoding: base64

{base64.encodebytes(html.encode()).decode()}
--r1
Content-Type: image/png
Content-ID: <shot1@example.cn>
Content-Disposition: inline; filename="shot.png"
Content-Transfer-Encoding: base64

{base64.b64encode(png).decode()}
--r1--
""".replace("\n", "\r\n").encode("ascii"))

# Malformed: the body's charset has no name any decoder knows (the bytes are GBK).
write("malformed-charset.eml", f"""From: Sun Qi <sunqi@example.cn>
To: support@example.com
Subject: =?x-unknown-cn?B?{base64.b64encode('投诉'.encode('gbk')).decode()}?= about my bill
Date: Mon, 23 Nov 2026 10:07:00 +0800
Message-ID: <malformed-1@example.cn>
MIME-Version: 1.0
Content-Type: text/plain; charset=x-unknown-cn
Content-Transfer-Encoding: 8bit
""", "我要投诉，这个月被乱扣费。".encode("gbk") + b"\r\n")

# Malformed: no sender at all.
write("no-sender.eml", """To: support@example.com
Subject: where is the sender
Date: Mon, 23 Nov 2026 10:08:00 +0800
Message-ID: <nosender-1@example.cn>
MIME-Version: 1.0
Content-Type: text/plain; charset=us-ascii
""", b"Nobody wrote this.\r\n")

# Out-of-office reply to one of our mails.
write("auto-reply.eml", """From: Zhang San <zhangsan@example.cn>
To: support@example.com
Subject: Auto: Re: [TG-000001] your complaint
Date: Mon, 23 Nov 2026 11:00:00 +0800
Message-ID: <ooo-1@example.cn>
In-Reply-To: <reply-1@example.com>
Auto-Submitted: auto-replied
X-Autoreply: yes
MIME-Version: 1.0
Content-Type: text/plain; charset=us-ascii
""", b"I am out of the office until Monday.\r\n")

# Delivery status notification returning one of our replies.
write("dsn-bounce.eml", """From: Mail Delivery System <MAILER-DAEMON@mx.example.cn>
To: support@example.com
Subject: Undelivered Mail Returned to Sender
Date: Mon, 23 Nov 2026 11:01:00 +0800
Message-ID: <dsn-1@mx.example.cn>
Auto-Submitted: auto-replied
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="d1"
""", """--d1
Content-Type: text/plain; charset=us-ascii

This is the mail system at host mx.example.cn.
I'm sorry to have to inform you that your message could not be delivered.

--d1
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.example.cn

Final-Recipient: rfc822; nobody@example.cn
Action: failed
Status: 5.1.1
Diagnostic-Code: smtp; 550 5.1.1 user unknown

--d1
Content-Type: text/rfc822-headers

From: support@example.com
To: nobody@example.cn
Subject: Re: [TG-000001] your complaint
Message-ID: <reply-1@example.com>

--d1--
""".replace("\n", "\r\n").encode("ascii"))

# Mailing-list mail.
write("list-mail.eml", """From: News <news@lists.example.org>
To: support@example.com
Subject: Weekly digest: complaint handling tips
Date: Mon, 23 Nov 2026 11:02:00 +0800
Message-ID: <list-1@lists.example.org>
List-Id: <digest.lists.example.org>
Precedence: list
MIME-Version: 1.0
Content-Type: text/plain; charset=us-ascii
""", b"This week: how to write a complaint.\r\n")

# Untrusted senders (issue 9, point 18): an address only in an encoded display name (its colon makes
# From a group), a quoted display name holding an agent's address, a group, two mailboxes, no From.
def plain(name, from_line, subject, mid, minute, body, extra=""):
    write(name, f"""{from_line}{extra}
To: support@example.com
Subject: {subject}
Date: Mon, 23 Nov 2026 10:{minute}:00 +0800
Message-ID: <{mid}>
MIME-Version: 1.0
Content-Type: text/plain; charset=us-ascii
""", body)

plain("from-address-in-display-name.eml", "From: =?utf-8?Q?V:victim@example.test:_1?= <attacker@evil.test>",
      "=?utf-8?Q?=E6=8A=95=E8=AF=89=EF=BC=9A=E4=B9=B1=E6=89=A3=E8=B4=B9?=", "display-name-1@evil.test", 10, b"Please refund me.\r\n")
plain("from-agent-in-quoted-name.eml", 'From: "lisi@example.com" <stranger@example.org>',
      "question about my plan", "quoted-agent-1@example.org", 11, b"What does my plan cost?\r\n")
plain("from-group.eml", "From: Billing: victim@example.test, attacker@evil.test;",
      "refund please", "group-1@evil.test", 12, b"Refund to both of us.\r\n")
plain("from-several-mailboxes.eml", "From: victim@example.test, attacker@evil.test", "refund please",
      "several-1@evil.test", 13, b"Refund to both of us.\r\n", extra="\nSender: attacker@evil.test")
write("from-missing-reply-to-only.eml", """Sender: someone@example.org
Reply-To: victim@example.test
To: support@example.com
Subject: no from
Date: Mon, 23 Nov 2026 10:14:00 +0800
Message-ID: <nofrom-1@example.org>
MIME-Version: 1.0
Content-Type: text/plain; charset=us-ascii
""", b"Who am I.\r\n")
