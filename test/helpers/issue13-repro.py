#!/usr/bin/env python3
# The repros of issue 13 against a running target, for before/after figures by hand (the
# hostile-*.test.ts suite is what CI runs). Usage: issue13-repro.py halfclose|chunked|slowloris PORT [PID] [SECONDS]
#   halfclose: 200 x (GET, FIN, read, close), then `ss` counts CLOSE-WAIT on the port after 2 s
#   chunked:   20 connections each sending a 7 MiB chunked POST /echo, never reading; RSS of PID
#   slowloris: 500 connections sending one header byte per second; how many are still open after SECONDS
import socket, sys, time, subprocess, os
port=int(sys.argv[2]); what=sys.argv[1]; pid=int(sys.argv[3]) if len(sys.argv)>3 else 0
def rss():
    if not pid: return 0
    for l in open(f"/proc/{pid}/status"):
        if l.startswith("VmRSS"): return int(l.split()[1])//1024
def cw():
    return subprocess.run(f"ss -tn state close-wait sport = :{port} | tail -n +2 | wc -l",shell=True,capture_output=True,text=True).stdout.strip()
GET=b"GET /plaintext HTTP/1.1\r\nHost: x\r\n\r\n"
if what=="halfclose":
    for i in range(200):
        s=socket.create_connection(("127.0.0.1",port)); s.sendall(GET); s.shutdown(socket.SHUT_WR); s.recv(4096); s.close()
    time.sleep(2); print("close-wait after 2s:", cw())
elif what=="slowloris":
    t0=time.time(); socks=[]
    for i in range(500):
        s=socket.create_connection(("127.0.0.1",port)); socks.append(s)
    hdr=b"GET /plaintext HTTP/1.1\r\nHost: x\r\nX-a: " + b"b"*100
    i=0; 
    while time.time()-t0<float(sys.argv[4]):
        alive=0
        for s in socks:
            try: s.send(hdr[i:i+1]); alive+=1
            except OSError: pass
        i+=1; time.sleep(1)
    # check which are still open: recv with nonblocking
    open_=0
    for s in socks:
        s.setblocking(False)
        try:
            d=s.recv(1)
            if d: open_+=1
        except BlockingIOError: open_+=1
        except OSError: pass
    print(f"slowloris: {open_} of 500 still open after {sys.argv[4]} s")
elif what=="chunked":
    print("rss before", rss())
    socks=[]
    chunk=b"x"*65536
    for i in range(20):
        s=socket.create_connection(("127.0.0.1",port)); s.setblocking(False); socks.append([s,b"POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"+(b"10000\r\n"+chunk+b"\r\n")*112+b"0\r\n\r\n"])
    t0=time.time(); peak=0
    while time.time()-t0<8:
        for e in socks:
            if e[1]:
                try: n=e[0].send(e[1][:1<<20]); e[1]=e[1][n:]
                except BlockingIOError: pass
        peak=max(peak,rss()); time.sleep(0.01)
    print("rss peak while held", peak, "MB; unsent bytes", sum(len(e[1]) for e in socks))
    for e in socks: e[0].close()
    time.sleep(2); print("rss 2 s after close", rss())
