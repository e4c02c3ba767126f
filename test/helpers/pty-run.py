"""Runs a command in a pseudo-terminal of a given size, for tests of how recpipe behaves in one.

  python3 pty-run.py COLS ROWS CMD [ARG...]

Prints "pid N" on stderr once the child runs, copies the terminal's output to stdout byte for
byte, copies stdin into the terminal (so a test can type Ctrl-C: \\x03), and exits with the
child's exit code (128 + N when a signal N ended it). A size of 0 x 0 is what a serial console
or `script` in some CI runners report.
"""
import fcntl, os, pty, select, struct, sys, termios

cols, rows, argv = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3:]
pid, fd = pty.fork()
if pid == 0:
    # Set the size from inside, before exec, so the program sees it from its first instruction.
    fcntl.ioctl(sys.stdout.fileno(), termios.TIOCSWINSZ, struct.pack('HHHH', rows, cols, 0, 0))
    os.execvp(argv[0], argv)
sys.stderr.write('pid %d\n' % pid)
sys.stderr.flush()
out = sys.stdout.buffer
inputs = [fd, sys.stdin.fileno()]
while True:
    r, _, _ = select.select(inputs, [], [], 0.2)
    if fd in r:
        try:
            data = os.read(fd, 65536)
        except OSError:
            break
        if not data:
            break
        out.write(data)
        out.flush()
    if sys.stdin.fileno() in r:
        data = os.read(sys.stdin.fileno(), 1024)
        if data:
            os.write(fd, data)
        else:
            inputs.remove(sys.stdin.fileno())
_, status = os.waitpid(pid, 0)
sys.exit(os.WEXITSTATUS(status) if os.WIFEXITED(status) else 128 + os.WTERMSIG(status))
