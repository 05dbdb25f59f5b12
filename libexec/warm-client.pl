#!/usr/bin/perl
# renderd's warm-render client (issue 17): a render hook runs it to have this chunk's frames rendered by
# the Blender renderd keeps loaded for the job, instead of starting one. It sends its environment and
# working folder to $RENDERD_WARM (renderd's socket), prints what Blender prints, and exits with the
# render's code. Exit 75: the warm path could not serve this chunk; the hook starts Blender itself.
# Perl, not Node: it runs once per chunk, and Node's own start costs ~100 ms. No module at all (not even
# strict, Socket or Cwd): loading them cost 15–25 ms of every chunk, more than the rest of this client.
# Linux only, as renderd: AF_UNIX and SOCK_STREAM are 1, EINTR is 4, the working folder is /proc/self/cwd.

my $FALLBACK = 75;
my $EINTR = 4;
$| = 1;
my $path = $ENV{RENDERD_WARM} or exit $FALLBACK;
socket(my $sock, 1, 1, 0) or exit $FALLBACK;
# struct sockaddr_un: the family (a native u16), then the path, NUL-terminated
connect($sock, pack('S', 1) . $path . "\0") or exit $FALLBACK;
my $cwd = readlink('/proc/self/cwd');
exit $FALLBACK unless defined $cwd;

# a JSON string: quotes, backslashes and control characters escaped; other bytes as they are (UTF-8)
sub js {
    my ($s) = @_;
    $s =~ s/(["\\])/\\$1/g;
    $s =~ s/([\x00-\x1f])/sprintf('\\u%04x', ord $1)/ge;
    return "\"$s\"";
}
my $env = join(',', map { js($_) . ':' . js($ENV{$_}) } sort keys %ENV);
my $request = '{"cwd":' . js($cwd) . ',"env":{' . $env . "}}\n";
while (length $request) {
    my $n = syswrite($sock, $request);
    next if !defined $n && $! == $EINTR;
    exit $FALLBACK if !defined $n;
    substr($request, 0, $n) = '';
}

# frames: "O <len>\n" + bytes (stdout), "E <len>\n" + bytes (stderr), "X <code>\n" (the render's end),
# "F <reason>\n" (not served warm)
my $buf = '';
for (;;) {
    while ($buf =~ /^([OEXF]) ([^\n]*)\n/) {
        my ($kind, $arg, $head) = ($1, $2, length($&));
        if ($kind eq 'X') { exit($arg =~ /^\d+$/ ? $arg : 1); }
        if ($kind eq 'F') { print "render-blender: warm path: $arg; cold start\n"; exit $FALLBACK; }
        last if length($buf) < $head + $arg;
        my $bytes = substr($buf, $head, $arg);
        substr($buf, 0, $head + $arg) = '';
        if ($kind eq 'O') { syswrite(STDOUT, $bytes); } else { syswrite(STDERR, $bytes); }
    }
    my $n = sysread($sock, $buf, 65536, length $buf);
    next if !defined $n && $! == $EINTR;
    last if !$n;
}
print "render-blender: warm path: renderd closed the connection; cold start\n";
exit $FALLBACK;
