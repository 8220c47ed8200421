"""Lokalmål: the UN Sustainable Development Goals for Norway's municipalities and counties."""
