"""The sans-IO protocol core: typed messages, signing, the wire codec and connection files.

Nothing in this package opens a socket; the kernel and the client are thin shells around it.
"""

from .connection import ConnectionInfo, new_key, read_connection_file, write_connection_file
from .errors import ContentError, ProtocolError, SignatureError, WireError
from .message import PROTOCOL_VERSION, Message, MessageFactory, utc_now_iso
from .signing import Signer
from .wire import DELIM, WireCodec, split_identities

__all__ = [
    "DELIM",
    "PROTOCOL_VERSION",
    "ConnectionInfo",
    "ContentError",
    "Message",
    "MessageFactory",
    "ProtocolError",
    "SignatureError",
    "Signer",
    "WireCodec",
    "WireError",
    "new_key",
    "read_connection_file",
    "split_identities",
    "utc_now_iso",
    "write_connection_file",
]
