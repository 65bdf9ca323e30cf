"""Asyncio client (``AsyncBase``), stdlib only."""
