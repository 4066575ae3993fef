package dev.toban.plumbing.outbox;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Readiness is down while the relay cannot reach RabbitMQ: events would pile up unpublished. */
@Readiness
@ApplicationScoped
public class BrokerHealthCheck implements HealthCheck {

    private final BrokerConnection broker;

    public BrokerHealthCheck(BrokerConnection broker) {
        this.broker = broker;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("rabbitmq").status(broker.isReachable()).build();
    }
}
