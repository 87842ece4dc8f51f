"""Billable Firestore reads and writes, counted on the server client's real gRPC channel.

The benchmarks print these counts and the tests hold some of them down (free times must
not cost more as calls are booked), so both count the same way, with this one class.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any


class StoreCounter:
    """Counts billable Firestore operations as the real gRPC calls go out.

    A read is each document a get or query returns (found or missing), and a query that
    returns none is billed one, as is a count (one per 1,000 index entries counted); a write is each write in a commit that succeeded, the
    way Firestore bills them.
    """

    def __init__(self) -> None:
        self.reads = 0
        self.writes = 0
        self.lock = threading.Lock()

    def interceptor(self) -> object:
        import grpc

        counter = self

        class Interceptor(grpc.UnaryUnaryClientInterceptor, grpc.UnaryStreamClientInterceptor):
            def intercept_unary_unary(self, continuation, details, request):
                outcome = continuation(details, request)
                if details.method.endswith("/Commit") and outcome.exception() is None:
                    with counter.lock:
                        counter.writes += len(request.writes)
                return outcome

            def intercept_unary_stream(self, continuation, details, request):
                responses = continuation(details, request)
                if details.method.endswith("/BatchGetDocuments"):
                    return counter._counted(responses, minimum=0)
                if details.method.endswith("/RunQuery"):
                    return counter._counted(responses, minimum=1)
                if details.method.endswith("/RunAggregationQuery"):  # a count: one read
                    return counter._counted(responses, minimum=1)  # per 1,000 entries
                return responses

        return Interceptor()

    def _counted(self, responses: Iterator[object], minimum: int) -> Iterator[object]:
        """Counts each document as it arrives: a get stops reading the stream once it
        has its document, so a count made at the end would never be made."""
        documents = 0
        try:
            for response in responses:
                if (
                    getattr(response, "found", None)
                    or getattr(response, "missing", None)
                    or getattr(response, "document", None)
                ):
                    documents += 1
                    with self.lock:
                        self.reads += 1
                yield response
        finally:
            if documents < minimum:
                with self.lock:
                    self.reads += minimum - documents

    def attach(self, client: Any) -> None:
        """Route the server client's calls through the counting channel."""
        import grpc
        from google.cloud.firestore_v1.services.firestore import client as gapic
        from google.cloud.firestore_v1.services.firestore.transports import grpc as transport

        channel = grpc.intercept_channel(
            client._emulator_channel(transport.FirestoreGrpcTransport), self.interceptor()
        )
        client._firestore_api_internal = gapic.FirestoreClient(
            transport=transport.FirestoreGrpcTransport(host=client._target, channel=channel)
        )

    @contextmanager
    def per(self, calls: int) -> Iterator[dict[str, float]]:
        """Reads and writes per call of whatever runs inside (filled in on exit)."""
        reads, writes = self.reads, self.writes
        result: dict[str, float] = {}
        yield result
        result["reads"] = (self.reads - reads) / calls
        result["writes"] = (self.writes - writes) / calls
