package dev.toban.notify.model;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.UUID;

@ApplicationScoped
public class DeliveryAttemptRepository implements PanacheRepositoryBase<DeliveryAttempt, Long> {

    public List<DeliveryAttempt> of(UUID deliveryId) {
        return list("deliveryId = ?1 order by attempt, id", deliveryId);
    }
}
