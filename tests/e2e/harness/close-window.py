"""Asks the top-level X11 window titled argv[1] to close, as a window manager's close button
does: a WM_DELETE_WINDOW client message (ICCCM 4.2.8.1). Exits 0 when a window got it, 1 when
none has that title. With `--find TITLE` it only looks: 0 when such a window exists, else 1.
For the end-to-end tests under Xvfb, where no window manager runs.
"""

import ctypes
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "support"))
from x11 import X, top_level_windows, ulong  # noqa: E402

X.XInternAtom.restype = ulong
X.XInternAtom.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int]
X.XSendEvent.argtypes = [ctypes.c_void_p, ulong, ctypes.c_int, ctypes.c_long, ctypes.c_void_p]
X.XCloseDisplay.argtypes = [ctypes.c_void_p]
CLIENT_MESSAGE = 33


class ClientMessage(ctypes.Structure):
    _fields_ = [("type", ctypes.c_int), ("serial", ulong), ("send_event", ctypes.c_int),
                ("display", ctypes.c_void_p), ("window", ulong), ("message_type", ulong),
                ("format", ctypes.c_int), ("data", ctypes.c_long * 5)]


class Event(ctypes.Union):
    _fields_ = [("client", ClientMessage), ("pad", ctypes.c_long * 24)]


def main():
    dpy = X.XOpenDisplay(None)
    if not dpy:
        sys.exit("cannot open the X display")
    protocols = X.XInternAtom(dpy, b"WM_PROTOCOLS", 0)
    delete = X.XInternAtom(dpy, b"WM_DELETE_WINDOW", 0)
    find_only = sys.argv[1] == "--find"
    title = sys.argv[-1].encode()
    sent = 0
    for window, name in top_level_windows(dpy, X.XDefaultRootWindow(dpy)):
        if name != title:
            continue
        if find_only:
            sent += 1
            continue
        event = Event()
        event.client.type = CLIENT_MESSAGE
        event.client.window = window
        event.client.message_type = protocols
        event.client.format = 32
        event.client.data[0] = delete
        sent += X.XSendEvent(dpy, window, 0, 0, ctypes.byref(event)) != 0
    X.XFlush(dpy)
    X.XCloseDisplay(dpy)
    sys.exit(0 if sent else 1)


if __name__ == "__main__":
    main()
