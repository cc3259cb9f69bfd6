from app.infra.mailer import SmtpServer


def test_a_plain_smtp_url() -> None:
    assert SmtpServer.from_url("smtp://127.0.0.1:2525") == SmtpServer(
        hostname="127.0.0.1", port=2525, use_tls=False, username=None, password=None
    )


def test_smtps_with_credentials_and_the_default_port() -> None:
    server = SmtpServer.from_url("smtps://shop%40example.com:p%3Ass@mail.example.com")
    assert (server.hostname, server.port, server.use_tls) == ("mail.example.com", 465, True)
    assert (server.username, server.password) == ("shop@example.com", "p:ss")
