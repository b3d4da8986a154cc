package io.leadrouter.replica;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * What decides whether a rep's frame is notified to the other replicas: publishing too much is harmless, too little
 * loses the frame, so every doubt publishes.
 */
class RepsElsewhereTest {

    final RepsElsewhere elsewhere = new RepsElsewhere();

    @Test
    void everyRepMayBeElsewhereUntilARefreshThatStartedWhileListeningCompleted() {
        assertThat(elsewhere.mayHoldSocket("ann")).isTrue();

        // read before listening: a socket opened between the read and the LISTEN was heard of by neither
        long early = elsewhere.refreshStarts();
        elsewhere.listening();
        elsewhere.refreshed(early, List.of());
        assertThat(elsewhere.mayHoldSocket("ann")).as("after a refresh that started before listening").isTrue();

        long started = elsewhere.refreshStarts();
        elsewhere.refreshed(started, List.of("bob"));
        assertThat(elsewhere.mayHoldSocket("ann")).isFalse();
        assertThat(elsewhere.mayHoldSocket("bob")).isTrue();
    }

    @Test
    void listeningAgainForgetsThatTheSetWasKnownUntilTheNextRefresh() {
        elsewhere.listening();
        elsewhere.refreshed(elsewhere.refreshStarts(), List.of());
        assertThat(elsewhere.mayHoldSocket("ann")).isFalse();

        // the listening connection dropped and came back: notifications meanwhile are lost
        elsewhere.listening();
        assertThat(elsewhere.mayHoldSocket("ann")).isTrue();

        elsewhere.refreshed(elsewhere.refreshStarts(), List.of());
        assertThat(elsewhere.mayHoldSocket("ann")).isFalse();
    }

    @Test
    void aRepThatConnectedElsewhereAfterTheRefreshReadBeganIsKeptByThatRefresh() {
        elsewhere.listening();
        long started = elsewhere.refreshStarts();
        // the refresh's read did not see ann's socket row; her notification arrives before the read's answer
        elsewhere.opened("ann");
        elsewhere.refreshed(started, List.of());

        assertThat(elsewhere.known()).isTrue();
        assertThat(elsewhere.mayHoldSocket("ann")).isTrue();
    }

    @Test
    void aRepMarkedBeforeTheRefreshStartedIsForgottenWhenTheRefreshNoLongerSeesIt() {
        elsewhere.listening();
        elsewhere.opened("ann");
        elsewhere.refreshed(elsewhere.refreshStarts(), List.of("ann"));
        assertThat(elsewhere.mayHoldSocket("ann")).as("seen by the refresh").isTrue();

        // her socket elsewhere closed: the next refresh no longer reads it
        elsewhere.refreshed(elsewhere.refreshStarts(), List.of());
        assertThat(elsewhere.mayHoldSocket("ann")).isFalse();
    }

    @Test
    void anOlderRefreshFinishingLastDropsNoMarkANewerOneMade() {
        elsewhere.listening();
        long older = elsewhere.refreshStarts();
        long newer = elsewhere.refreshStarts();
        elsewhere.refreshed(newer, List.of("ann"));
        // the older read began before ann connected elsewhere, and answers last
        elsewhere.refreshed(older, List.of());

        assertThat(elsewhere.mayHoldSocket("ann")).isTrue();
    }
}
