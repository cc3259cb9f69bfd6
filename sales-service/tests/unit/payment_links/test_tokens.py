import hashlib

from app.payment_links.tokens import new_token, token_hash, well_formed


def test_a_token_carries_256_random_bits_in_urlsafe_characters() -> None:
    tokens = {new_token() for _ in range(1000)}
    assert len(tokens) == 1000
    for token in tokens:
        assert len(token) == 43  # 32 bytes of base64 without padding
        assert well_formed(token)


def test_only_the_sha256_is_kept() -> None:
    token = new_token()
    assert token_hash(token) == hashlib.sha256(token.encode()).hexdigest()
    assert token not in token_hash(token)


def test_anything_else_is_not_a_token() -> None:
    token = new_token()
    for candidate in ("", token[:-1], token + "A", token.replace(token[0], "+", 1), "a/b" * 15):
        assert not well_formed(candidate)
