package dev.toban.incident.directory;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.toban.contracts.PersonRef;
import dev.toban.incident.support.TestStack;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A storm's IC lookups run side by side and name the same new person: both make sure the person exists, neither
 * fails (a plain insert made all but the first IC assignment fail and wait for a retry).
 */
@QuarkusTest
class PeopleDirectoryEnsureTest {

    @Inject
    PeopleDirectoryService people;

    @Test
    void twoTransactionsMakingSureOfTheSameNewPersonBothSucceed() throws Exception {
        UUID id = UUID.randomUUID();
        PersonRef ref = new PersonRef(id, "Hanako Race", "race-" + id, null, null, "Asia/Tokyo", "ja");
        CyclicBarrier bothLooked = new CyclicBarrier(2);
        Runnable ensure = () -> QuarkusTransaction.requiringNew().run(() -> {
            people.find(id); // both see no such person yet
            try {
                bothLooked.await(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            people.ensure(ref);
        });
        ExecutorService two = Executors.newFixedThreadPool(2); // the common pool may have one thread on 2 cores
        try {
            CompletableFuture<Void> first = CompletableFuture.runAsync(ensure, two);
            CompletableFuture<Void> second = CompletableFuture.runAsync(ensure, two);
            first.get(30, TimeUnit.SECONDS);
            second.get(30, TimeUnit.SECONDS);
        } finally {
            two.shutdownNow();
        }
        assertEquals(1, TestStack.count("select count(*) from person where id = ? and name = 'Hanako Race'", id));

        // a later answer with a new name updates the person known only from answers
        QuarkusTransaction.requiringNew().run(() -> people.ensure(new PersonRef(id, "Hanako Renamed", "race-" + id,
                null, null, "Asia/Tokyo", "ja")));
        assertEquals(1, TestStack.count("select count(*) from person where id = ? and name = 'Hanako Renamed'", id));
    }
}
