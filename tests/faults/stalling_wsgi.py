"""The site's WSGI application with a storage write that stalls halfway, for the fault
tests: Django's own file write creates the file and writes the first KiB, then touches
the file named by QA_FAULT_STALLED and waits until the file named by QA_FAULT_RELEASE
exists (or the process is killed)."""

import os
import time
from pathlib import Path

from django.core.files import File
from django.core.files.storage import FileSystemStorage

from qualityaward.wsgi import application

__all__ = ["application"]


class _Stalls(File):
    def chunks(self, chunk_size=None):
        yield self.file.read(1024)
        Path(os.environ["QA_FAULT_STALLED"]).touch()
        release = Path(os.environ["QA_FAULT_RELEASE"])
        while not release.exists():
            time.sleep(0.05)
        yield self.file.read()


_save = FileSystemStorage._save


def _stalling_save(self, name, content):
    return _save(self, name, _Stalls(content))


FileSystemStorage._save = _stalling_save  # type: ignore[method-assign]
