package dev.toban.notify.model;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;

@ApplicationScoped
public class TemplateOverrideRepository implements PanacheRepositoryBase<TemplateOverride, TemplateOverride.Key> {
}
