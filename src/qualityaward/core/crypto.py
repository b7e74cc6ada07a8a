"""Cryptography: digests for the audit chain and stored files, and encryption of
personal data at rest, with China's commercial algorithms (GB/T 39786) switchable.

With QA_NATIONAL_CRYPTO on (the default) new audit records and stored files are hashed
with SM3, and personal data fields are encrypted with SM4-GCM; off, SHA-256 and
AES-256-GCM. Both are always readable: each audit record names its algorithm, and each
encrypted value carries its algorithm and key id, so switching or rotating never makes
old data unreadable. The algorithms come from PyCA `cryptography`, which runs OpenSSL's
implementations (docs/architecture.md says why not gmssl or snowland-smx).

Keys never live in the database. QA_FIELD_KEYS in the environment holds
"index:base64,id:base64,id2:base64": the `index` key keys the blind indexes (look-ups of
an encrypted value, never rotated), the first other key encrypts and all decrypt.
Without it the keys are read from QA_FIELD_KEY_FILE (default var/field_keys, created
on first use). `manage.py crypto` makes, rotates and reports keys.
"""

from __future__ import annotations

import base64
import hashlib
import os
import secrets
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Protocol

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives import hmac as crypto_hmac
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from qualityaward.core.secretfiles import read_or_create

SHA256 = "sha256"
SM3 = "sm3"
DIGEST_ALGORITHMS = (SHA256, SM3)
SM4_GCM = "sm4gcm"
AES_GCM = "aes256gcm"
CIPHERS = (SM4_GCM, AES_GCM)
PREFIX = "enc1"  # enc1:<cipher>:<key id>:<base64 of nonce, ciphertext and tag>
NONCE_BYTES = 12
TAG_BYTES = 16
KEY_BYTES = 32


class Digest(Protocol):
    def update(self, data: bytes, /) -> None: ...

    def hexdigest(self) -> str: ...


class _SM3:
    """SM3 with hashlib's update/hexdigest interface."""

    def __init__(self) -> None:
        self._hash = hashes.Hash(hashes.SM3())

    def update(self, data: bytes, /) -> None:
        self._hash.update(data)

    def hexdigest(self) -> str:
        return self._hash.finalize().hex()


def digest_algorithm() -> str:
    """The algorithm for new digests: SM3 with national cryptography on, else SHA-256."""
    return SM3 if settings.QA_NATIONAL_CRYPTO else SHA256


def new_digest(algorithm: str) -> Digest:
    if algorithm == SHA256:
        return hashlib.sha256()
    if algorithm == SM3:
        return _SM3()
    raise ValueError(f"unknown digest algorithm {algorithm!r}")


def digest_hex(data: bytes, algorithm: str) -> str:
    digest = new_digest(algorithm)
    digest.update(data)
    return digest.hexdigest()


# --- keys -----------------------------------------------------------------------------


INDEX_KEY_ID = "index"


@dataclass(frozen=True)
class KeyRing:
    """The field keys: `current` encrypts, every key in `keys` decrypts, `index` keys
    the blind indexes."""

    current: str
    keys: dict[str, bytes]
    index: bytes


def _parse_keys(text: str, source: str) -> KeyRing:
    keys: dict[str, bytes] = {}
    for item in (part.strip() for part in text.replace("\n", ",").split(",")):
        if not item:
            continue
        key_id, _, encoded = item.partition(":")
        try:
            material = base64.b64decode(encoded, validate=True)
        except ValueError:
            material = b""
        if not key_id.isalnum() or len(material) != KEY_BYTES:
            raise ImproperlyConfigured(
                f"{source}: each key is 'id:base64' with an alphanumeric id and "
                f"{KEY_BYTES} bytes of key ({item.partition(':')[0]!r} is not)"
            )
        keys[key_id] = material
    index = keys.pop(INDEX_KEY_ID, None)
    if index is None or not keys:
        raise ImproperlyConfigured(
            f"{source} needs an '{INDEX_KEY_ID}:' key and at least one encryption key "
            "(manage.py crypto keygen prints them)"
        )
    return KeyRing(current=next(iter(keys)), keys=keys, index=index)


def new_key_line(key_id: str = "") -> str:
    """A fresh key as one 'id:base64' item; the id defaults to the time it was made."""
    from django.utils import timezone

    key_id = key_id or f"k{timezone.now():%Y%m%d%H%M%S}"
    return f"{key_id}:{base64.b64encode(os.urandom(KEY_BYTES)).decode()}"


@cache
def keyring() -> KeyRing:
    text = os.environ.get("QA_FIELD_KEYS", "").strip()
    if text:
        return _parse_keys(text, "QA_FIELD_KEYS")
    path = Path(settings.QA_FIELD_KEY_FILE)
    text = read_or_create(path, lambda: f"{new_key_line()}\n{new_key_line(INDEX_KEY_ID)}\n")
    return _parse_keys(text, str(path))


def _subkey(master: bytes, purpose: str, length: int) -> bytes:
    """A key for one purpose, derived from the master key (HMAC-SM3)."""
    mac = crypto_hmac.HMAC(master, hashes.SM3())
    mac.update(purpose.encode())
    return mac.finalize()[:length]


# --- field encryption ------------------------------------------------------------------


def field_cipher() -> str:
    return SM4_GCM if settings.QA_NATIONAL_CRYPTO else AES_GCM


def _seal(cipher: str, key: bytes, nonce: bytes, plaintext: bytes, aad: bytes) -> bytes:
    if cipher == SM4_GCM:
        encryptor = Cipher(algorithms.SM4(_subkey(key, "sm4-field", 16)), modes.GCM(nonce))
        sealer = encryptor.encryptor()
        sealer.authenticate_additional_data(aad)
        return sealer.update(plaintext) + sealer.finalize() + sealer.tag
    return AESGCM(_subkey(key, "aes-field", 32)).encrypt(nonce, plaintext, aad)


def _open(cipher: str, key: bytes, nonce: bytes, sealed: bytes, aad: bytes) -> bytes:
    if cipher == SM4_GCM:
        body, tag = sealed[:-TAG_BYTES], sealed[-TAG_BYTES:]
        decryptor = Cipher(
            algorithms.SM4(_subkey(key, "sm4-field", 16)), modes.GCM(nonce, tag)
        ).decryptor()
        decryptor.authenticate_additional_data(aad)
        return decryptor.update(body) + decryptor.finalize()
    return AESGCM(_subkey(key, "aes-field", 32)).decrypt(nonce, sealed, aad)


def is_encrypted(value: str) -> bool:
    return value.startswith(PREFIX + ":")


def encrypt(plaintext: str, *, context: str) -> str:
    """`plaintext` sealed with the current key and cipher. `context` (the model field) is
    authenticated too, so a value copied into another field does not decrypt."""
    ring = keyring()
    cipher = field_cipher()
    nonce = secrets.token_bytes(NONCE_BYTES)
    sealed = _seal(cipher, ring.keys[ring.current], nonce, plaintext.encode(), context.encode())
    payload = base64.b64encode(nonce + sealed).decode()
    return f"{PREFIX}:{cipher}:{ring.current}:{payload}"


def decrypt(value: str, *, context: str) -> str:
    """The plaintext of an encrypted value; a value stored before encryption was turned
    on (no prefix) is returned as it is, until `manage.py crypto rotate` seals it."""
    if not is_encrypted(value):
        return value
    _, cipher, key_id, payload = value.split(":", 3)
    key = keyring().keys.get(key_id)
    if key is None or cipher not in CIPHERS:
        raise ImproperlyConfigured(
            f"a {context} value is sealed with key {key_id!r} ({cipher}), which is not "
            "configured: add the key to QA_FIELD_KEYS or the key file"
        )
    raw = base64.b64decode(payload)
    return _open(cipher, key, raw[:NONCE_BYTES], raw[NONCE_BYTES:], context.encode()).decode()


def key_of(value: str) -> tuple[str, str]:
    """(cipher, key id) of a stored value; ("", "") for plaintext."""
    if not is_encrypted(value):
        return "", ""
    _, cipher, key_id, _ = value.split(":", 3)
    return cipher, key_id


def blind_index(value: str, *, purpose: str) -> str:
    """A keyed digest (HMAC-SM3) of `value` for equality look-ups and uniqueness: the
    ciphertext is random, so it cannot be searched. Its key is the ring's index key,
    which rotation of the encryption keys leaves alone."""
    mac = crypto_hmac.HMAC(_subkey(keyring().index, f"index:{purpose}", 32), hashes.SM3())
    mac.update(value.encode())
    return mac.finalize().hex()
