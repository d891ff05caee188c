"""Applications (permohonan): status as the office's licensing system reports it, for their owners."""
