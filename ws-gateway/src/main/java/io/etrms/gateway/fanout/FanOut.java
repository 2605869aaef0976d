package io.etrms.gateway.fanout;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Offers one message (or several in a row) to many subscribers on several threads: the calling thread (the Kafka
 * reader) and {@code helpers} more take blocks of {@value #BLOCK} subscribers each until none is
 * left, and the call returns once all are done. Nearly all of a delivery's time is the socket
 * write of its connection, which one thread alone turns into the gateway's limit at thousands of
 * subscribers; writes to different connections run in parallel.
 *
 * <p>Because the call returns only when the message was offered to every subscriber, the next
 * message starts after it: each subscriber still gets an account's messages in order. Several
 * messages offered in one call are all buffered for a subscriber before its send starts, so they
 * leave in one write. A fan-out
 * below {@value #PARALLEL_MIN} subscribers runs on the calling thread alone (the hand-off would
 * cost more than it saves), and the helper threads start on the first larger one. Helpers only
 * offer, which never blocks, and take no lock the caller holds, so waiting for them cannot
 * deadlock.
 */
public final class FanOut implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(FanOut.class);
    public static final int BLOCK = 64;
    public static final int PARALLEL_MIN = 4 * BLOCK;

    /** One message to deliver: the blocks are taken from {@code next}. */
    private static final class Job {
        final ChannelMessage[] messages;
        final Subscriber[] targets;
        final int count;
        final AtomicInteger next = new AtomicInteger();
        final CountDownLatch helpersDone;

        Job(ChannelMessage[] messages, Subscriber[] targets, int count, int helpers) {
            this.messages = messages;
            this.targets = targets;
            this.count = count;
            this.helpersDone = new CountDownLatch(helpers);
        }

        void run() {
            for (int start; (start = next.getAndAdd(BLOCK)) < count; ) {
                int end = Math.min(count, start + BLOCK);
                for (int i = start; i < end; i++) {
                    deliver(targets[i], messages);
                }
            }
        }
    }

    private final int helpers;
    private final BlockingQueue<Job>[] inboxes;
    private volatile Thread[] threads;
    private volatile boolean closed;

    @SuppressWarnings("unchecked")
    public FanOut(int helpers) {
        this.helpers = helpers;
        this.inboxes = new BlockingQueue[helpers];
        for (int i = 0; i < helpers; i++) {
            inboxes[i] = new ArrayBlockingQueue<>(1);
        }
    }

    /** One helper per processor beyond the caller's. */
    public static FanOut forThisMachine() {
        return new FanOut(Math.max(1, Runtime.getRuntime().availableProcessors() - 1));
    }

    /**
     * Offers {@code messages}, in order, to {@code targets[0..count)}: each subscriber buffers all of
     * them before its send starts. Returns once every one was offered them.
     */
    public void deliver(ChannelMessage[] messages, Subscriber[] targets, int count) {
        if (count < PARALLEL_MIN || helpers == 0 || closed) {
            for (int i = 0; i < count; i++) {
                deliver(targets[i], messages);
            }
            return;
        }
        startHelpers();
        Job job = new Job(messages, targets, count, helpers);
        for (BlockingQueue<Job> inbox : inboxes) {
            if (!inbox.offer(job)) { // another caller's job waits there (or the helper stopped): the blocks are ours
                job.helpersDone.countDown();
            }
        }
        job.run();
        try {
            while (!job.helpersDone.await(100, TimeUnit.MILLISECONDS)) {
                if (closed) { // a helper may have stopped before taking the job: finish its blocks here
                    job.run();
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void deliver(Subscriber subscriber, ChannelMessage[] messages) {
        try {
            boolean due = false;
            for (ChannelMessage message : messages) {
                due |= subscriber.deliverLater(message);
            }
            if (due) {
                subscriber.sender().pump();
            }
        } catch (RuntimeException e) {
            log.warn("delivering to a {} subscriber failed", messages[0].channel().path(), e);
        }
    }

    private void startHelpers() {
        if (threads != null) {
            return;
        }
        threads = new Thread[helpers];
        for (int i = 0; i < helpers; i++) {
            BlockingQueue<Job> inbox = inboxes[i];
            threads[i] = new Thread(() -> help(inbox), "etrms-gateway-fanout-" + (i + 1));
            threads[i].setDaemon(true);
            threads[i].start();
        }
    }

    private void help(BlockingQueue<Job> inbox) {
        while (!closed) {
            Job job;
            try {
                job = inbox.take();
            } catch (InterruptedException e) {
                return;
            }
            try {
                job.run();
            } finally {
                job.helpersDone.countDown();
            }
        }
    }

    /** Stops the helper threads; later fan-outs run on the caller alone. */
    @Override
    public void close() {
        closed = true;
        Thread[] started = threads;
        if (started != null) {
            for (Thread t : started) {
                t.interrupt();
            }
        }
    }
}
