"""Helpers for the public forms' spam check: get a proof-of-work challenge and solve it."""
import hashlib

import requests

from conftest import client_address


def leading_zero_bits(digest):
    bits = 0
    for byte in digest:
        if byte == 0:
            bits += 8
            continue
        return bits + 8 - byte.bit_length()
    return bits


def solve(challenge, bits):
    nonce = 0
    while leading_zero_bits(hashlib.sha256(f"{challenge}:{nonce}".encode()).digest()) < bits:
        nonce += 1
    return str(nonce)


def captcha(server, address=None):
    """A fresh challenge from the server, solved: the two form fields."""
    response = requests.post(server.url("/api/portal/captcha"), headers={"X-Forwarded-For": address or client_address()}, timeout=10)
    assert response.status_code == 201, response.text
    body = response.json()
    return {"captchaChallenge": body["challenge"], "captchaNonce": solve(body["challenge"], body["difficultyBits"])}
