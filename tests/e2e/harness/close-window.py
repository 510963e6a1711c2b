"""Asks the X11 window titled argv[1] to close, as a window manager's close button does: a
WM_DELETE_WINDOW client message (ICCCM 4.2.8.1). Exits 0 when a window got it, 1 when none has
that title. Plain libX11 through ctypes, for the end-to-end tests under Xvfb (no window manager).
"""

import ctypes
import ctypes.util
import sys

X = ctypes.CDLL(ctypes.util.find_library("X11") or "libX11.so.6")
ulong = ctypes.c_ulong
X.XOpenDisplay.restype = ctypes.c_void_p
X.XOpenDisplay.argtypes = [ctypes.c_char_p]
X.XDefaultRootWindow.restype = ulong
X.XDefaultRootWindow.argtypes = [ctypes.c_void_p]
X.XQueryTree.argtypes = [ctypes.c_void_p, ulong, ctypes.POINTER(ulong), ctypes.POINTER(ulong),
                         ctypes.POINTER(ctypes.POINTER(ulong)), ctypes.POINTER(ctypes.c_uint)]
X.XFetchName.argtypes = [ctypes.c_void_p, ulong, ctypes.POINTER(ctypes.c_char_p)]
X.XInternAtom.restype = ulong
X.XInternAtom.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int]
X.XFree.argtypes = [ctypes.c_void_p]
X.XSendEvent.argtypes = [ctypes.c_void_p, ulong, ctypes.c_int, ctypes.c_long, ctypes.c_void_p]
X.XFlush.argtypes = [ctypes.c_void_p]
X.XCloseDisplay.argtypes = [ctypes.c_void_p]


class ClientMessage(ctypes.Structure):
    _fields_ = [("type", ctypes.c_int), ("serial", ulong), ("send_event", ctypes.c_int),
                ("display", ctypes.c_void_p), ("window", ulong), ("message_type", ulong),
                ("format", ctypes.c_int), ("data", ctypes.c_long * 5)]


class Event(ctypes.Union):
    _fields_ = [("client", ClientMessage), ("pad", ctypes.c_long * 24)]


CLIENT_MESSAGE = 33


def windows_titled(dpy, window, title, depth=0):
    """The windows under `window` whose name is `title`, depth first (bounded depth)."""
    name = ctypes.c_char_p()
    if X.XFetchName(dpy, window, ctypes.byref(name)) and name.value is not None:
        found = name.value.decode("utf-8", "replace") == title
        X.XFree(name)
        if found:
            yield window
    if depth > 8:
        return
    root, parent = ulong(), ulong()
    kids, count = ctypes.POINTER(ulong)(), ctypes.c_uint()
    if not X.XQueryTree(dpy, window, ctypes.byref(root), ctypes.byref(parent),
                        ctypes.byref(kids), ctypes.byref(count)):
        return
    children = [kids[i] for i in range(count.value)]
    if kids:
        X.XFree(kids)
    for child in children:
        yield from windows_titled(dpy, child, title, depth + 1)


def main():
    dpy = X.XOpenDisplay(None)
    if not dpy:
        sys.exit("cannot open the X display")
    protocols = X.XInternAtom(dpy, b"WM_PROTOCOLS", 0)
    delete = X.XInternAtom(dpy, b"WM_DELETE_WINDOW", 0)
    sent = 0
    for window in windows_titled(dpy, X.XDefaultRootWindow(dpy), sys.argv[1]):
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
