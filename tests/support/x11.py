"""The few libX11 calls the end-to-end tests and the start-up benchmark share, through ctypes:
no package beyond python3 and the X11 library every desktop session has."""

import ctypes
import ctypes.util

X = ctypes.CDLL(ctypes.util.find_library("X11") or "libX11.so.6")
ulong = ctypes.c_ulong
X.XOpenDisplay.restype = ctypes.c_void_p
X.XOpenDisplay.argtypes = [ctypes.c_char_p]
X.XDefaultRootWindow.restype = ulong
X.XDefaultRootWindow.argtypes = [ctypes.c_void_p]
X.XQueryTree.argtypes = [ctypes.c_void_p, ulong, ctypes.POINTER(ulong), ctypes.POINTER(ulong),
                         ctypes.POINTER(ctypes.POINTER(ulong)), ctypes.POINTER(ctypes.c_uint)]
X.XFetchName.argtypes = [ctypes.c_void_p, ulong, ctypes.POINTER(ctypes.c_char_p)]
X.XFree.argtypes = [ctypes.c_void_p]
X.XFlush.argtypes = [ctypes.c_void_p]


def top_level_windows(dpy, root):
    """The root's child windows with their names, as (window, name bytes or None)."""
    r, p, n = ulong(), ulong(), ctypes.c_uint()
    kids = ctypes.POINTER(ulong)()
    if not X.XQueryTree(dpy, root, ctypes.byref(r), ctypes.byref(p), ctypes.byref(kids),
                        ctypes.byref(n)):
        return []
    windows = [kids[i] for i in range(n.value)]
    if kids:
        X.XFree(kids)
    named = []
    for window in windows:
        name = ctypes.c_char_p()
        if X.XFetchName(dpy, window, ctypes.byref(name)) and name.value is not None:
            named.append((window, name.value))
            X.XFree(name)
        else:
            named.append((window, None))
    return named
