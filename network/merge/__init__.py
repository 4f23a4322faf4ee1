"""Combining data folders: entities joined by identifier or normalized name, every row kept and accounted for."""
