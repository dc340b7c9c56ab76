"""Who the sign-in throttle counts a try under (usecases.throttle.client_of): the peer, or behind a proxy the
dashboard or API was told to trust, the address that proxy forwarded — never one client for everybody."""

from usecases.throttle import client_of


def test_without_a_trusted_proxy_the_peer_is_the_client_and_a_forged_header_changes_nothing() -> None:
    assert client_of("203.0.113.7", None, "") == "203.0.113.7"
    assert client_of("203.0.113.7", "198.51.100.1", "") == "203.0.113.7"
    assert client_of(None, "198.51.100.1", "") == "127.0.0.1"  # a local connection, header not believed


def test_behind_a_trusted_proxy_each_user_is_their_forwarded_address() -> None:
    trusted = "127.0.0.1, 10.0.0.2"
    assert client_of(None, "198.51.100.1", trusted) == "198.51.100.1"
    assert client_of("10.0.0.2", "198.51.100.2", trusted) == "198.51.100.2"
    assert client_of("10.0.0.2", "198.51.100.1", trusted) != client_of("10.0.0.2", "198.51.100.2", trusted)


def test_only_the_address_the_trusted_proxy_appended_counts_not_what_the_client_wrote_before_it() -> None:
    assert client_of("127.0.0.1", "6.6.6.6, 198.51.100.9", "127.0.0.1") == "198.51.100.9"
    assert client_of("10.9.9.9", "198.51.100.9", "*") == "198.51.100.9"
    assert client_of("127.0.0.1", " , ", "127.0.0.1") == "127.0.0.1"  # an empty header: the peer
