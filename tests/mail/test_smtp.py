"""The SMTP submission client against a real aiosmtpd: STARTTLS and AUTH required."""
import email
import email.policy


def message(probe, to="john@example.com", **extra) -> bytes:
    args = ["--from", "Support <support@desk.test>", "--to", to, "--subject", "Re: Zoë's printer [TKT-7]",
            "--text", "Hello,\n.\nA line with a lone dot above.", "--message-id", "m1@desk.test",
            "--in-reply-to", "c1@customer.test", "--references", "c0@customer.test c1@customer.test"]
    for k, v in extra.items():
        args += [f"--{k.replace('_', '-')}", v]
    return probe.build(*args)


def test_starttls_auth_and_delivery_with_exact_bytes(probe, smtp_starttls, certs, tmp_path):
    """A message goes out over STARTTLS after AUTH and arrives byte for byte (dot-stuffing undone)."""
    attachment = tmp_path / "report.pdf"
    attachment.write_bytes(bytes(range(256)) * 40)
    raw = message(probe, attach=f"{attachment}:application/pdf")
    rc, out, p = probe.run("smtp-send", *smtp_starttls.args("starttls", certs), "--from", "support@desk.test",
                           "--to", "john@example.com", stdin=raw)
    assert rc == 0, p.stderr
    assert out[-1]["ok"] and out[-1]["tls"].startswith("TLSv1.")
    assert out[-1]["reply"].startswith("250")
    [got] = smtp_starttls.messages
    assert got.mail_from == "support@desk.test" and got.rcpt_tos == ["john@example.com"]
    assert got.authenticated_as == "desk@example.test"
    assert got.data.replace(b"\r\n", b"\n") == raw.replace(b"\r\n", b"\n")
    parsed = email.message_from_bytes(got.data, policy=email.policy.default)
    assert parsed["Message-ID"] == "<m1@desk.test>"
    assert parsed["In-Reply-To"] == "<c1@customer.test>"
    assert parsed["References"] == "<c0@customer.test> <c1@customer.test>"
    assert parsed["Subject"] == "Re: Zoë's printer [TKT-7]"
    text = parsed.get_body(("plain",)).get_content().replace("\r\n", "\n").rstrip("\n")
    assert text == "Hello,\n.\nA line with a lone dot above."
    [pdf] = list(parsed.iter_attachments())
    assert pdf.get_filename() == "report.pdf" and pdf.get_content() == attachment.read_bytes()


def test_implicit_tls(probe, smtp_implicit, certs):
    """Submission over implicit TLS (port 465 style) works the same."""
    rc, out, p = probe.run("smtp-send", *smtp_implicit.args("tls", certs), "--from", "support@desk.test",
                           "--to", "john@example.com", stdin=message(probe))
    assert rc == 0, p.stdout
    assert len(smtp_implicit.messages) == 1


def test_wrong_password_is_an_authentication_error(probe, smtp_starttls, certs):
    """Bad credentials give kind=authentication with the server's 535, permanent, and no password in the output."""
    rc, out, p = probe.run("check-smtp", *smtp_starttls.args("starttls", certs), env={"MAIL_PASSWORD": "wrong-pass"})
    assert rc == 1
    assert out[-1]["kind"] == "authentication" and out[-1]["reply_code"] == 535 and out[-1]["permanent"]
    assert b"wrong-pass" not in p.stdout + p.stderr


def test_untrusted_certificate_is_refused_by_default(probe, smtp_implicit, certs):
    """Without the test CA the self-signed certificate fails verification, named as such."""
    args = smtp_implicit.args("tls", certs)
    i = args.index("--ca-file")
    del args[i:i + 2]
    rc, out, _ = probe.run("check-smtp", *args)
    assert rc == 1 and out[-1]["kind"] == "certificate"
    assert "self-signed" in out[-1]["error"] or "self signed" in out[-1]["error"]
    assert smtp_implicit.auth_attempts == []


def test_host_name_must_match_the_certificate(probe, smtp_implicit, certs):
    """The certificate is for localhost/127.0.0.1; reaching the same server as 127.0.0.2 fails the name check."""
    args = smtp_implicit.args("tls", certs)
    args[args.index("--host") + 1] = "127.0.0.2"
    rc, out, _ = probe.run("check-smtp", *args)
    # Either the name check fails or nothing listens on 127.0.0.2; both must be reported exactly.
    assert rc == 1 and out[-1]["kind"] in ("certificate", "connect")


def test_refused_recipient_is_reported_and_the_rest_delivered(probe, smtp_starttls, certs):
    """One refused RCPT does not stop delivery to the others; the refusal is reported with its code."""
    rc, out, _ = probe.run("smtp-send", *smtp_starttls.args("starttls", certs), "--from", "support@desk.test",
                           "--to", "reject-me@example.com", "--to", "john@example.com", stdin=message(probe))
    assert rc == 0
    assert out[-1]["accepted"] == ["john@example.com"]
    assert out[-1]["refused"] == [{"recipient": "reject-me@example.com", "code": 550}]


def test_every_recipient_refused_is_a_permanent_error(probe, smtp_starttls, certs):
    """If no recipient is accepted nothing is sent and the 5xx is permanent."""
    rc, out, _ = probe.run("smtp-send", *smtp_starttls.args("starttls", certs), "--from", "support@desk.test",
                           "--to", "reject-me@example.com", stdin=message(probe))
    assert rc == 1 and out[-1]["kind"] == "rejected" and out[-1]["reply_code"] == 550 and out[-1]["permanent"]
    assert smtp_starttls.messages == []


def test_connection_refused_and_unknown_host_are_named(probe, certs):
    """Nothing listening and a name that does not resolve are told apart, both temporary."""
    from conftest import free_port
    rc, out, _ = probe.run("check-smtp", "--host", "127.0.0.1", "--port", str(free_port()), "--security", "starttls")
    assert rc == 1 and out[-1]["kind"] == "connect" and not out[-1]["permanent"]
    rc, out, _ = probe.run("check-smtp", "--host", "no-such-host.invalid", "--port", "587", "--security", "starttls")
    assert rc == 1 and out[-1]["kind"] == "name resolution"
