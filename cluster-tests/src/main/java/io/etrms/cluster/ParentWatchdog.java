package io.etrms.cluster;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.Optional;

/**
 * Entry point of every child process: {@code ParentWatchdog <parent pid> <main class> [args...]}
 * runs {@code <main class>.main(args)} in this JVM and halts the JVM as soon as the parent process
 * is gone. A test JVM that is killed (a surefire timeout, {@code kill -9}, a crashed IDE) thus
 * never leaves brokers or services behind, even though its own shutdown hook could not run.
 *
 * <p>Halting is the same as {@code kill -9} for the child: no shutdown hooks, no flush. That is
 * what a leftover of a dead test deserves; orderly stops go through SIGTERM.
 */
public final class ParentWatchdog {

    /** Exit status of a child halted because its parent died. */
    public static final int ORPHANED = 86;

    private ParentWatchdog() {
    }

    public static void main(String[] args) throws Throwable {
        if (args.length < 2) {
            System.err.println("usage: ParentWatchdog <parent pid> <main class> [args...]");
            System.exit(2);
        }
        long parentPid = Long.parseLong(args[0]);
        watch(parentPid);
        Method main = Class.forName(args[1]).getMethod("main", String[].class);
        try {
            main.invoke(null, (Object) Arrays.copyOfRange(args, 2, args.length));
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    private static void watch(long parentPid) {
        Optional<ProcessHandle> parent = ProcessHandle.of(parentPid);
        if (parent.isEmpty() || !parent.get().isAlive()) {
            Runtime.getRuntime().halt(ORPHANED);
        }
        // onExit() of a process that is not our child is observed by a JDK thread polling its state.
        parent.get().onExit().thenRun(() -> {
            System.err.println("parent process " + parentPid + " is gone: halting");
            Runtime.getRuntime().halt(ORPHANED);
        });
    }
}
