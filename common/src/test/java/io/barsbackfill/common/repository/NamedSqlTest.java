package io.barsbackfill.common.repository;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.UUID;
import org.junit.jupiter.api.Test;

class NamedSqlTest {

    private static final NamedSql FENCED = NamedSql.of("""
            UPDATE job_runs r SET error_message = :message
            FROM unnest(:ids::uuid[], :tokens::uuid[]) AS l(id, token)
            WHERE r.id = l.id AND r.lease_token = l.token AND (:message::text IS NULL OR r.note <> :message)""");

    @Test
    void namesBecomePositionalParametersInOrderOfFirstUseAndCastsStayCasts() {
        assertThat(FENCED.sql()).isEqualTo("""
                        UPDATE job_runs r SET error_message = $1
                        FROM unnest($2::uuid[], $3::uuid[]) AS l(id, token)
                        WHERE r.id = l.id AND r.lease_token = l.token AND ($1::text IS NULL OR r.note <> $1)""");
        assertThat(FENCED.names()).containsExactly("message", "ids", "tokens");
    }

    @Test
    void theTupleFollowsTheParametersWhateverOrderTheValuesCameIn() {
        UUID[] ids = {UUID.randomUUID()};
        UUID[] tokens = {UUID.randomUUID()};
        var tuple = FENCED.with("tokens", tokens)
                .with("ids", ids)
                .with("message", null)
                .tuple();
        assertThat(tuple.size()).isEqualTo(3);
        assertThat(tuple.getValue(0)).isNull();
        assertThat(tuple.getValue(1)).isSameAs(ids);
        assertThat(tuple.getValue(2)).isSameAs(tokens);
    }

    @Test
    void aMissingOrUnknownNameIsRefused() {
        assertThatThrownBy(() -> FENCED.with("ids", null).tuple())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(":message");
        assertThatThrownBy(() -> FENCED.with("lease_token", null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(":lease_token");
    }
}
