package io.leadrouter.crm;

import java.util.List;

import io.leadrouter.webhook.Connector;

/** What both owner connectors fix at start: their kind, whether this deployment enabled them, where and on what they write. */
abstract class OwnerConnector implements Connector {

    private final String kind;
    private final boolean enabled;
    private final String target;
    private final List<String> events;

    OwnerConnector(String kind, boolean enabled, String target, List<String> events) {
        this.kind = kind;
        this.enabled = enabled;
        this.target = target.replaceAll("/+$", "");
        this.events = OwnerWriteBack.checked(events, "leadrouter.crm." + kind + ".events");
    }

    @Override
    public String kind() {
        return kind;
    }

    @Override
    public boolean enabled() {
        return enabled;
    }

    @Override
    public String target() {
        return target;
    }

    @Override
    public List<String> events() {
        return events;
    }
}
