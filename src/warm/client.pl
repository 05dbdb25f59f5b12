#!/usr/bin/perl
# renderd's warm-render client (issue 17): a render hook runs it to have this chunk's frames rendered by
# the Blender renderd keeps loaded for the job, instead of starting one. It sends its environment and
# working folder to $RENDERD_WARM (renderd's socket), prints what Blender prints, and exits with the
# render's code. Exit 75: the warm path could not serve this chunk; the hook starts Blender itself.
# Perl, not Node: it runs once per chunk, and Node's own start costs ~100 ms.
use strict;
use warnings;
use IO::Socket::UNIX;
use JSON::PP;
use Cwd qw(getcwd);

my $FALLBACK = 75;
$| = 1;
my $path = $ENV{RENDERD_WARM} or exit $FALLBACK;
my $sock = IO::Socket::UNIX->new(Type => SOCK_STREAM(), Peer => $path) or exit $FALLBACK;
my %env = map { $_ => $ENV{$_} } keys %ENV;
print $sock JSON::PP->new->canonical->encode({ cwd => getcwd(), env => \%env }), "\n";
$sock->flush;

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
    next if !defined $n && $!{EINTR};
    last if !$n;
}
print "render-blender: warm path: renderd closed the connection; cold start\n";
exit $FALLBACK;
