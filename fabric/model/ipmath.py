"""IP and MAC arithmetic used by the rules (and by the lab provider): ranges, sets, overlap."""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass

IP = ipaddress.IPv4Address | ipaddress.IPv6Address
Net = ipaddress.IPv4Network | ipaddress.IPv6Network


@dataclass(frozen=True, order=True)
class IPRange:
    """An inclusive range of addresses of one family."""

    start: IP
    end: IP

    def overlaps(self, other: IPRange) -> bool:
        """True if the two ranges share an address."""
        return self.start.version == other.start.version and not (
            self.end < other.start or other.end < self.start  # type: ignore[operator]
        )

    def within(self, outer: IPRange) -> bool:
        """True if every address of this range is in `outer`."""
        return self.start.version == outer.start.version and (
            outer.start <= self.start and self.end <= outer.end  # type: ignore[operator]
        )

    def __str__(self) -> str:
        return str(self.start) if self.start == self.end else f"{self.start}-{self.end}"


def ip(text: str) -> IP:
    """Parse an address; fast path for dotted-quad IPv4 (ipaddress parses octets in Python)."""
    try:
        return ipaddress.IPv4Address(int.from_bytes(socket.inet_pton(socket.AF_INET, text), "big"))
    except OSError:
        _no_zone(text)
        return ipaddress.ip_address(text)


def _no_zone(text: str) -> None:
    """Refuse an IPv6 zone ID (`fe80::1%eth0`): it names a local interface, which VMM has no use for."""
    if "%" in text:
        raise ValueError(f"{text!r} has an IPv6 zone ID (%…), which is not allowed")


def network(text: str, *, strict: bool = True) -> Net:
    """Parse a CIDR subnet; host bits must be zero when strict."""
    address, slash, prefix = text.partition("/")
    if slash and prefix.isdigit() and "." in address:
        try:
            value = int.from_bytes(socket.inet_pton(socket.AF_INET, address), "big")
        except OSError:
            _no_zone(text)  # e.g. ::ffff:10.0.0.1%eth0/128
            return ipaddress.ip_network(text, strict=strict)
        return ipaddress.IPv4Network((value, int(prefix)), strict=strict)
    _no_zone(text)
    return ipaddress.ip_network(text, strict=strict)


def parse_range(text: str) -> IPRange:
    """Parse `a` or `a-b`; raise ValueError on bad input or a reversed range."""
    first, _, last = text.partition("-")
    start = ip(first.strip())
    end = ip(last.strip()) if last else start
    if start.version != end.version:
        raise ValueError(f"{text!r} mixes IPv4 and IPv6")
    if end < start:  # type: ignore[operator]
        raise ValueError(f"{text!r} is reversed (end before start)")
    return IPRange(start, end)


def network_range(net: Net) -> IPRange:
    """All addresses of a subnet as a range."""
    return IPRange(net.network_address, net.broadcast_address)


def mac_to_int(mac: str) -> int:
    """`00:1D:D8:B7:1C:00` → integer."""
    return int(mac.replace(":", "").replace("-", ""), 16)
