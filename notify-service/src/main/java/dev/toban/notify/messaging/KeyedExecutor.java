package dev.toban.notify.messaging;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Runs blocking work on one of N single-threaded executors chosen by key: work with the same key
 * runs in submission order, work with different keys in parallel.
 */
final class KeyedExecutor implements AutoCloseable {

    private final List<ExecutorService> partitions = new ArrayList<>();

    KeyedExecutor(String name, int count) {
        for (int i = 0; i < Math.max(1, count); i++) {
            String threadName = name + "-" + i;
            partitions.add(Executors.newSingleThreadExecutor(r -> Thread.ofPlatform().daemon().name(threadName).unstarted(r)));
        }
    }

    <T> CompletionStage<T> submit(String key, Supplier<CompletionStage<T>> work) {
        int index = Math.floorMod(key == null ? 0 : key.hashCode(), partitions.size());
        return CompletableFuture.supplyAsync(work, partitions.get(index)).thenCompose(stage -> stage);
    }

    @Override
    public void close() {
        partitions.forEach(ExecutorService::shutdown);
        for (ExecutorService e : partitions) {
            try {
                e.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
