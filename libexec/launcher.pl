#!/usr/bin/perl
# renderd's hook launcher: one small long-lived process that forks every hook, so renderd (a large Node
# process, costly to fork) never does. Usage: launcher.pl MARK NICENESS (ionice, if any, wraps it). It also guards: when renderd dies, even by SIGKILL, its stdin
# closes and every hook group it started is killed, with every process still carrying the guard mark.
#
# It also enforces leases (src/liveness/budget.ts): a hook started with a lease key runs only while that
# lease is valid, timed on this process's own clock. renderd renews a lease after each heartbeat it wrote
# and read back; when one runs out (renderd stalled, its spool hung), every hook group of that lease is
# killed, with every process carrying the lease's mark, and reported as ended by lease expiry.
#
# stdin, per hook:  "S <id> <bytes> [<lease>]\n" then <bytes>: cwd \0 argc \0 arg... \0 NAME=value \0 ...
#        a lease:   "L <lease> <deadline>\n"   valid until <deadline>, in ms on CLOCK_MONOTONIC (renderd's
#                                              clock too): a renewal that waited in the pipe never stretches it
# stdout, frames:   "P <id> <pid>\n"           started (its pid is its process group)
#                   "O <id> <bytes>\n<bytes>"  stdout   "R <id> <bytes>\n<bytes>" stderr
#                   "D <id> <bytes>\n"         that much of its output dropped (renderd read too slowly)
#                   "X <id> <code> <signal> <leftovers> [lease]\n"  ended (killed or refused for its lease); all its output came first
#
# Output to renderd never blocks this process: frames wait in a queue and are written when the pipe
# takes them. A hook's output past OUT_CAP_BYTES of unwritten frames is dropped (and counted), so a
# chatty render cannot hold the lease timer hostage while renderd is stalled; a write that fails for
# good (renderd gone) kills every hook, as a closed stdin does.
use strict;
use warnings;
use POSIX qw(setsid WNOHANG _exit);
use IO::Select;
use Time::HiRes qw(clock_gettime CLOCK_MONOTONIC);
use Fcntl qw(F_GETFL F_SETFL O_NONBLOCK);
use Errno qw(EAGAIN EWOULDBLOCK EINTR);

# CLOCK_BOOTTIME also counts a suspended machine, after which observers will have taken our chunks over
my $clock = eval { Time::HiRes::CLOCK_BOOTTIME() } // CLOCK_MONOTONIC;
sub now { clock_gettime($clock) }
my %leases;    # lease => deadline (seconds on $clock)

my $mark = shift @ARGV // '';
my $nice = shift @ARGV // 0;
# the hooks' niceness, set in each child before its exec: this process, which starts them, reaps them and
# kills them when a lease runs out, keeps renderd's, so a busy machine delays neither. Never lowered (only root could)
my $raise_nice = $nice > getpriority(0, 0);
$| = 1;
$SIG{PIPE} = 'IGNORE';
my (%hooks, %by_fd);    # id => hook; fileno => [id, kind]
my $select = IO::Select->new(\*STDIN);
pipe(my $wake_r, my $wake_w) or die "pipe: $!";
# a burst of child exits must never block the handler: one byte waiting is wake-up enough
{ my $flags = fcntl($wake_w, F_GETFL, 0) or die "fcntl: $!"; fcntl($wake_w, F_SETFL, $flags | O_NONBLOCK) or die "fcntl: $!"; }
$select->add($wake_r);
$SIG{CHLD} = sub { syswrite($wake_w, 'c') };
my $inbuf = '';
open(my $devnull, '<', '/dev/null') or die "/dev/null: $!";

# Unwritten output per hook is capped; control frames (P, X, D) are never dropped (a few per hook).
use constant OUT_CAP_BYTES => 1 << 20;
my $outq = '';          # frames not yet written to renderd
my %queued_out;         # id => bytes of its O/R frames in $outq
my @out_marks;          # [end offset in $outq, id, bytes] of each O/R frame, oldest first
my %dropped;            # id => bytes dropped since its last D frame
{ my $flags = fcntl(STDOUT, F_GETFL, 0) or die "fcntl: $!"; fcntl(STDOUT, F_SETFL, $flags | O_NONBLOCK) or die "fcntl: $!"; }

sub say_frame { $outq .= $_[0]; flush_out(); }

# An O/R frame: queued unless its hook already has OUT_CAP_BYTES waiting, then counted as dropped.
sub say_output {
    my ($kind, $id, $data) = @_;
    if (($queued_out{$id} // 0) + length($data) > OUT_CAP_BYTES) { $dropped{$id} += length $data; return; }
    say_dropped($id);
    my $frame = "$kind $id " . length($data) . "\n" . $data;
    $queued_out{$id} += length $data;
    $outq .= $frame;
    push @out_marks, [length $outq, $id, length $data];
    flush_out();
}

sub say_dropped { my ($id) = @_; my $n = delete $dropped{$id} or return; $outq .= "D $id $n\n"; }

# Writes what the pipe takes now; never waits. A pipe closed for good means renderd is gone.
sub flush_out {
    while (length $outq) {
        my $n = syswrite(STDOUT, $outq);
        if (!defined $n) {
            return if $! == EAGAIN || $! == EWOULDBLOCK;
            next if $! == EINTR;
            guard_and_exit();
        }
        substr($outq, 0, $n) = '';
        while (@out_marks && $out_marks[0][0] <= $n) { my $m = shift @out_marks; $queued_out{$m->[1]} -= $m->[2]; delete $queued_out{$m->[1]} if !$queued_out{$m->[1]}; }
        $_->[0] -= $n for @out_marks;
    }
}

# A hook's environment is set here, before the fork, by changing only what differs from the last hook's
# (a few RENDER_* values): a child that built its whole %ENV after the fork paid for it in pages copied.
# This process's own /proc/PID/environ keeps what it started with (kill_marked reads that, and skips us).
sub set_environment {
    my %env = map { my ($k, $v) = split /=/, $_, 2; ($k, $v // '') } @_;
    for (keys %ENV) { delete $ENV{$_} unless exists $env{$_} }
    while (my ($k, $v) = each %env) { $ENV{$k} = $v unless defined $ENV{$k} && $ENV{$k} eq $v }
}

sub start_hook {
    my ($id, $payload, $lease) = @_;
    if (defined $lease && !(exists $leases{$lease} && now() < $leases{$lease})) { say_frame("X $id - 9 0 lease\n"); return; }
    my @fields = split /\0/, $payload, -1;
    pop @fields if @fields && $fields[-1] eq '';
    my $cwd = shift @fields;
    my $argc = shift @fields;
    my @argv = splice @fields, 0, $argc;
    set_environment(@fields);
    my ($out_r, $out_w, $err_r, $err_w, $exec_r, $exec_w);
    my $pid = (pipe($out_r, $out_w) && pipe($err_r, $err_w) && pipe($exec_r, $exec_w)) ? fork : undef;
    if (!defined $pid) { my $why = "cannot start the hook: $!\n"; say_frame("R $id " . length($why) . "\n$why"); say_frame("X $id 126 - 0\n"); return; }
    if ($pid == 0) {
        # plain fd calls, no PerlIO: every page the child writes before its exec is a page copied
        $SIG{PIPE} = 'DEFAULT';
        setpriority(0, 0, $nice) if $raise_nice;
        setsid();
        POSIX::dup2(fileno $devnull, 0); POSIX::dup2(fileno $out_w, 1); POSIX::dup2(fileno $err_w, 2);
        if (!chdir $cwd) { print STDERR "cannot enter $cwd: $!\n"; _exit(126); }
        { no warnings 'exec'; exec { $argv[0] } @argv; }
        my $code = $!{ENOENT} ? 127 : 126;
        print STDERR "$argv[0]: " . ($code == 127 ? 'command not found' : "$!") . "\n";
        _exit($code);
    }
    close $out_w; close $err_w; close $exec_w;
    # a moment's wait for the child's exec (which closes its end of the pipe): until then each page this
    # process writes is copied for the child. Bounded: an exec or chdir stuck on a hung filer waits for no one
    my $rin = ''; vec($rin, fileno $exec_r, 1) = 1;
    select($rin, undef, undef, 0.005);
    close $exec_r;
    $hooks{$id} = { pid => $pid, open => 2, lease => $lease };
    for ([$out_r, 'O'], [$err_r, 'R']) { $select->add($_->[0]); $by_fd{fileno $_->[0]} = [$id, $_->[1], $_->[0]]; }
    say_frame("P $id $pid\n");
}

sub finish_if_done {
    my ($id) = @_;
    my $hook = $hooks{$id};
    return unless $hook && $hook->{open} == 0 && defined $hook->{status};
    say_dropped($id);
    my $status = $hook->{status};
    my ($code, $sig) = ($status & 127) ? ('-', $status & 127) : ($status >> 8, '-');
    say_frame("X $id $code $sig " . ($hook->{leftovers} // 0) . ($hook->{expired} ? ' lease' : '') . "\n");
    delete $hooks{$id};
}

sub reap {
    while ((my $pid = waitpid(-1, WNOHANG)) > 0) {
        my $status = $?;
        my ($id) = grep { $hooks{$_}{pid} == $pid } keys %hooks;
        next unless defined $id;
        # what the hook left running in its group would hold its pipes open and outlive the chunk
        $hooks{$id}{leftovers} = kill('KILL', -$pid) ? 1 : 0;
        $hooks{$id}{status} = $status;
        finish_if_done($id);
    }
}

# Kills every process whose environment holds the mark (exactly, or with a lease key after it when $any).
sub kill_marked {
    my ($wanted, $any) = @_;
    return if $mark eq '';
    for (1 .. 20) {
        my @marked;
        for my $file (glob '/proc/[0-9]*/environ') {
            next if $file eq "/proc/$$/environ";
            open(my $fh, '<', $file) or next;
            local $/;
            my $env = <$fh> // '';
            push @marked, $file =~ m{^/proc/(\d+)/} if index("\0$env", "\0$wanted\0") >= 0 || ($any && index("\0$env", "\0$wanted.") >= 0);
        }
        last unless @marked;
        kill 'KILL', @marked;
    }
}

sub guard_and_exit {
    kill 'KILL', -$_->{pid} for values %hooks;
    kill_marked($mark, 1);
    %hooks = ();
    exit 0;
}
# every way out kills what this process guards: a signal, or a Perl error, as well as renderd's end
$SIG{$_} = \&guard_and_exit for qw(TERM INT HUP);
END { kill 'KILL', -$_->{pid} for values %hooks; kill_marked($mark, 1) if %hooks; }

# A lease that ran out: its hooks are killed now, and its hooks to come refused until it is renewed.
sub expire_leases {
    my $now = now();
    for my $lease (grep { $leases{$_} <= $now } keys %leases) {
        delete $leases{$lease};
        for my $hook (grep { defined $_->{lease} && $_->{lease} eq $lease && !defined $_->{status} } values %hooks) {
            kill 'KILL', -$hook->{pid};
            $hook->{expired} = 1;
        }
        kill_marked("$mark.$lease", 0);
    }
}

# Wakes for the earliest lease deadline, at most a second from now.
sub wait_time {
    my $wait = 1;
    my $now = now();
    for (values %leases) { my $left = $_ - $now; $wait = $left if $left < $wait; }
    return $wait < 0 ? 0 : $wait;
}

my $writable = IO::Select->new(\*STDOUT);
for (;;) {
    my ($ready, $out) = IO::Select->select($select, length $outq ? $writable : undef, undef, wait_time());
    my @ready = $ready ? @$ready : ();
    flush_out() if $out && @$out;
    expire_leases();
    reap();
    for my $fh (@ready) {
        if ($fh == $wake_r) { sysread($wake_r, my $junk, 512); next; }
        if ($fh == \*STDIN || fileno($fh) == fileno(STDIN)) {
            my $n = sysread(STDIN, $inbuf, 65536, length $inbuf);
            next if !defined $n && $!{EINTR};
            guard_and_exit() if !$n;
            for (;;) {
                if ($inbuf =~ /^L (\S+) (\d+)\n/) {
                    # the deadline is on CLOCK_MONOTONIC; kept on $clock, which also counts a suspend from now on
                    $leases{$1} = now() + ($2 / 1000 - clock_gettime(CLOCK_MONOTONIC));
                    substr($inbuf, 0, length($&)) = '';
                    next;
                }
                last unless $inbuf =~ /^S (\S+) (\d+)(?: (\S+))?\n/;
                my ($id, $len, $lease, $head) = ($1, $2, $3, length($&));
                last if length($inbuf) < $head + $len;
                my $payload = substr($inbuf, $head, $len);
                substr($inbuf, 0, $head + $len) = '';
                # a lease that ran out while this request waited is found out before its hook starts
                expire_leases();
                start_hook($id, $payload, $lease);
            }
            next;
        }
        my $entry = $by_fd{fileno $fh} or next;
        my ($id, $kind) = @$entry;
        my $n = sysread($fh, my $data, 65536);
        next if !defined $n && $!{EINTR};
        if ($n) { say_output($kind, $id, $data); next; }
        $select->remove($fh); delete $by_fd{fileno $fh}; close $fh;
        $hooks{$id}{open}-- if $hooks{$id};
        finish_if_done($id);
    }
}
