"""Text that PostgreSQL can store: no NUL characters, valid Unicode (no lone surrogates)."""

from typing import Annotated

from pydantic import AfterValidator


def storable(value: str) -> str:
    if "\x00" in value:
        raise ValueError("must not contain NUL characters")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as error:
        raise ValueError("must be valid Unicode text") from error
    return value


StorableStr = Annotated[str, AfterValidator(storable)]
