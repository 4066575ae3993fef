import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.BuiltinExchangeType;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Publishes N toban.incident.resolved events (N distinct incidents) to a running postmortem-service
 * and waits for N toban.postmortem.opened events: broker -> consumer (inbox, postmortem, participants,
 * document, timeline row, outbox) -> relay -> broker. Prints postmortems opened per second.
 *
 * Usage: java -cp amqp-client.jar:slf4j-api.jar PostmortemServiceBench.java <vhost> <count>
 */
public class PostmortemServiceBench {

    public static void main(String[] args) throws Exception {
        String vhost = args[0];
        int count = Integer.parseInt(args[1]);
        ConnectionFactory factory = new ConnectionFactory();
        factory.setHost(System.getenv().getOrDefault("RABBITMQ_HOST", "localhost"));
        factory.setVirtualHost(vhost);
        try (Connection connection = factory.newConnection("postmortem-bench")) {
            Channel in = connection.createChannel();
            in.exchangeDeclare("toban.postmortem", BuiltinExchangeType.TOPIC, true);
            String queue = in.queueDeclare("", false, true, true, null).getQueue();
            in.queueBind(queue, "toban.postmortem", "toban.postmortem.opened");
            String run = UUID.randomUUID().toString().substring(0, 8);
            Set<String> seen = ConcurrentHashMap.newKeySet();
            CountDownLatch done = new CountDownLatch(count);
            in.basicConsume(queue, true, (tag, delivery) -> {
                String body = new String(delivery.getBody(), StandardCharsets.UTF_8);
                int at = body.indexOf("\"title\":\"Postmortem: bench " + run + " ");
                if (at >= 0 && seen.add(body.substring(at, body.indexOf('"', at + 30)))) {
                    done.countDown();
                }
            }, tag -> { });

            Channel out = connection.createChannel();
            out.exchangeDeclare("toban.incident", BuiltinExchangeType.TOPIC, true);
            out.confirmSelect();
            AMQP.BasicProperties props = new AMQP.BasicProperties.Builder()
                    .contentType("application/cloudevents+json").deliveryMode(2).build();
            long start = System.nanoTime();
            for (int i = 0; i < count; i++) {
                out.basicPublish("toban.incident", "toban.incident.resolved", props,
                        event(run, i).getBytes(StandardCharsets.UTF_8));
            }
            out.waitForConfirmsOrDie(60_000);
            long published = System.nanoTime();
            if (!done.await(600, TimeUnit.SECONDS)) {
                throw new IllegalStateException("only " + (count - done.getCount()) + " of " + count + " postmortems opened");
            }
            long end = System.nanoTime();
            double seconds = (end - start) / 1e9;
            System.out.printf("published=%d publish_s=%.2f total_s=%.2f opened_per_s=%.1f%n", count,
                    (published - start) / 1e9, seconds, count / seconds);
        }
    }

    static String event(String run, int i) {
        String incident = UUID.randomUUID().toString();
        Instant now = Instant.now();
        String person = """
                {"id":"%s","name":"Bench IC","username":"sato","email":"bench-%s-%d@toban.example","timeZone":"Asia/Tokyo"}"""
                .formatted(UUID.randomUUID(), run, i);
        return """
                {"specversion":"1.0","id":"%s","source":"/toban/incident-service","type":"toban.incident.resolved",
                 "time":"%s","subject":"%s","datacontenttype":"application/json",
                 "data":{"actor":{"username":"sato"},"note":"bench",
                  "incident":{"id":"%s","number":%d,"title":"bench %s %d","severity":"SEV%d","state":"resolved",
                   "impact":"none","owningTeam":{"id":"11111111-0000-4000-8000-000000000001","name":"Server",
                   "slackChannel":"#team-server","timeZone":"Asia/Tokyo"},"commander":%s,"liaison":null,"responders":[],
                   "slackThread":{"channel":"C1","ts":"1.1"},"url":"http://localhost:8082/incidents/%s",
                   "problemStartedAt":"%s","createdAt":"%s","resolvedAt":"%s","version":5}}}"""
                .formatted(UUID.randomUUID(), now, incident, incident, i, run, i, 1 + i % 4, person, incident,
                        now.minusSeconds(3600), now.minusSeconds(3500), now);
    }
}
