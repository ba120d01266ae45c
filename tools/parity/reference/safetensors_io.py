"""Minimal safetensors reader/writer (format: https://huggingface.co/docs/safetensors, "Format").

An 8-byte little-endian header length N, N bytes of JSON {name: {dtype, shape, data_offsets}},
then the raw little-endian C-order bytes. Written here so the parity tools need only numpy and torch
(Debian's python3-torch has no safetensors package); files are readable by `safetensors.torch`.
"""
import json
import struct

import numpy as np

_DTYPES = {"F64": np.float64, "F32": np.float32, "F16": np.float16, "I64": np.int64, "I32": np.int32, "U8": np.uint8}
_NAMES = {np.dtype(v).str: k for k, v in _DTYPES.items()}


def save(tensors, path, metadata=None):
    """Writes {name: numpy array or torch tensor} to `path` (float64 stays float64 unless cast)."""
    header, blobs, offset = {}, [], 0
    if metadata:
        header["__metadata__"] = {k: str(v) for k, v in metadata.items()}
    for name, value in tensors.items():
        array = value.detach().cpu().numpy() if hasattr(value, "detach") else np.asarray(value)
        array = np.ascontiguousarray(array.astype(array.dtype.newbyteorder("<")))
        dtype = _NAMES[array.dtype.str]
        blob = array.tobytes()
        header[name] = {"dtype": dtype, "shape": list(array.shape), "data_offsets": [offset, offset + len(blob)]}
        blobs.append(blob)
        offset += len(blob)
    text = json.dumps(header)
    text += " " * ((8 - (8 + len(text.encode())) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text.encode())))
        f.write(text.encode())
        for blob in blobs:
            f.write(blob)


def load(path):
    """{name: numpy array} of a safetensors file."""
    with open(path, "rb") as f:
        raw = f.read()
    (length,) = struct.unpack("<Q", raw[:8])
    header = json.loads(raw[8 : 8 + length])
    out = {}
    for name, entry in header.items():
        if name == "__metadata__":
            continue
        begin, end = entry["data_offsets"]
        data = np.frombuffer(raw[8 + length + begin : 8 + length + end], dtype=np.dtype(_DTYPES[entry["dtype"]]).newbyteorder("<"))
        out[name] = data.reshape(entry["shape"])
    return out
