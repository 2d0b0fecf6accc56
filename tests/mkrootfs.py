#!/usr/bin/env python3
"""A crafted rootfs tar for the tests of bbkit image: one entry per argument.

usage: mkrootfs.py OUT.tar ENTRY...
  ENTRY is TYPE:MODE:NAME[:ARG] (MODE octal, or octal/UID for an owner other
  than root; NAME as the tar holds it):
    f  regular file; ARG @FILE (its bytes), elf=MACHINE,CLASS,DATA (a bare ELF
       header of that machine, class 1|2 and byte order 1 little|2 big),
       or text
    d  directory       l  symlink to ARG       h  hard link to ARG
    c  character device 1,3                    p  fifo
Entries are written in the order given, ustar/pax as tarfile chooses, owned
by root, mtime 946684800.
"""
import io
import struct
import sys
import tarfile


def elf(machine, cls, data):
    end = '<' if data == 1 else '>'
    ident = b'\x7fELF' + bytes([cls, data, 1]) + bytes(9)
    if cls == 2:
        return ident + struct.pack(end + 'HHIQQQIHHHHHH', 2, machine, 1, 0, 0, 0, 0, 64, 0, 0, 64, 0, 0)
    return ident + struct.pack(end + 'HHIIIIIHHHHHH', 2, machine, 1, 0, 0, 0, 0, 52, 0, 0, 40, 0, 0)


def main():
    out, entries = sys.argv[1], sys.argv[2:]
    with tarfile.open(out, 'w', format=tarfile.PAX_FORMAT) as t:
        for e in entries:
            typ, mode, name, *rest = e.split(':', 3)
            arg = rest[0] if rest else ''
            ti = tarfile.TarInfo(name)
            mode, _, uid = mode.partition('/')
            ti.mode = int(mode, 8)
            ti.uid = int(uid or 0)
            ti.mtime = 946684800
            ti.uname, ti.gname = 'root' if ti.uid == 0 else 'user%d' % ti.uid, 'root'
            body = None
            if typ == 'f':
                if arg.startswith('@'):
                    with open(arg[1:], 'rb') as f:
                        body = f.read()
                elif arg.startswith('elf='):
                    body = elf(*(int(x) for x in arg[4:].split(',')))
                else:
                    body = arg.encode()
                ti.size = len(body)
            elif typ == 'd':
                ti.type = tarfile.DIRTYPE
            elif typ == 'l':
                ti.type, ti.linkname = tarfile.SYMTYPE, arg
            elif typ == 'h':
                ti.type, ti.linkname = tarfile.LNKTYPE, arg
            elif typ == 'c':
                ti.type, ti.devmajor, ti.devminor = tarfile.CHRTYPE, 1, 3
            elif typ == 'p':
                ti.type = tarfile.FIFOTYPE
            else:
                sys.exit('mkrootfs.py: %s: unknown type %s' % (e, typ))
            t.addfile(ti, io.BytesIO(body) if body is not None else None)


main()
