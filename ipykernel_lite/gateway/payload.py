"""The connection-info payload a remote kernel launcher sends to Enterprise Gateway's response address.

Version 1 of the gateway's format: the JSON connection info is encrypted with a fresh AES-128 key (ECB,
PKCS#7 padding), that key with the gateway's RSA public key (PKCS#1 v1.5), and both travel base64-encoded in a
base64-encoded JSON envelope ``{"version": 1, "key": …, "conn_info": …}``. Pure functions, no sockets.
"""

from __future__ import annotations

import base64
import json
import os
from typing import Any

VERSION = 1


def _cryptodome() -> Any:
    try:
        from Cryptodome.Cipher import AES, PKCS1_v1_5
        from Cryptodome.PublicKey import RSA
        from Cryptodome.Util.Padding import pad
    except ImportError:
        raise RuntimeError(
            "the Enterprise Gateway launcher needs pycryptodomex: pip install 'ipykernel_lite[gateway]'"
        ) from None
    return AES, PKCS1_v1_5, RSA, pad


def public_key_der(public_key: str) -> bytes:
    """The gateway passes its PEM public key without header, footer and newlines: base64 of the DER."""
    body = "".join(line for line in public_key.strip().splitlines() if line and not line.startswith("-----"))
    try:
        return base64.b64decode(body, validate=True)
    except ValueError as e:
        raise ValueError(f"--public-key is not a base64 public key: {e}") from None


def encode(connection: dict[str, Any], public_key: str) -> bytes:
    """The bytes to write to the response socket for ``connection`` (ports, key, pid, comm_port, kernel_id)."""
    aes_mod, pkcs1, rsa, pad = _cryptodome()
    aes_key = os.urandom(16)
    body = json.dumps(connection).encode()
    conn_info = aes_mod.new(aes_key, aes_mod.MODE_ECB).encrypt(pad(body, 16))
    rsa_key = rsa.import_key(public_key_der(public_key))
    wrapped = pkcs1.new(rsa_key).encrypt(aes_key)
    envelope = {
        "version": VERSION,
        "key": base64.b64encode(wrapped).decode(),
        "conn_info": base64.b64encode(conn_info).decode(),
    }
    return base64.b64encode(json.dumps(envelope).encode())
