package dev.wal.vfs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class VfsSpecTest {

  @Test
  void theJavadocExamplesParse() {
    VfsSpec local = VfsSpec.parse("local:/var/lib/app/wal");
    assertThat(local.name()).isEqualTo("local");
    assertThat(local.location()).isEqualTo("/var/lib/app/wal");
    assertThat(local.options()).isEmpty();

    VfsSpec memory = VfsSpec.parse("memory:orders-test?maxSize=64m");
    assertThat(memory.location()).isEqualTo("orders-test");
    assertThat(memory.options()).containsExactly(Map.entry("maxSize", "64m"));

    VfsSpec faulty = VfsSpec.parse("faulty:memory:orders-test?seed=42");
    assertThat(faulty.name()).isEqualTo("faulty");
    assertThat(faulty.location()).isEqualTo("memory:orders-test");
    assertThat(faulty.options()).containsExactly(Map.entry("seed", "42"));
  }

  @Test
  void aParenthesisedLocationNestsASpecWithItsOwnOptions() {
    VfsSpec outer = VfsSpec.parse("faulty:(memory:orders-test?maxSize=64m)?seed=42");
    assertThat(outer.location()).isEqualTo("memory:orders-test?maxSize=64m");
    assertThat(outer.options()).containsExactly(Map.entry("seed", "42"));
    VfsSpec inner = VfsSpec.parse(outer.location());
    assertThat(inner.name()).isEqualTo("memory");
    assertThat(inner.options()).containsExactly(Map.entry("maxSize", "64m"));
  }

  @Test
  void parenthesesNestToAnyDepth() {
    VfsSpec spec = VfsSpec.parse("a:(b:(c:x?k=1)?k=2)?k=3");
    assertThat(spec.location()).isEqualTo("b:(c:x?k=1)?k=2");
    assertThat(VfsSpec.parse(spec.location()).location()).isEqualTo("c:x?k=1");
  }

  @Test
  void theNameIsMatchedIgnoringCaseAndKeptInLowercase() {
    assertThat(VfsSpec.parse("MeMory:x").name()).isEqualTo("memory");
  }

  @Test
  void optionsKeepTheirOrderAndTypedGettersReadThem() {
    VfsSpec spec = VfsSpec.parse("m:x?b=2&a=1&size=4k&flag=TRUE&big=1t&n=-5");
    assertThat(spec.options().keySet()).containsExactly("b", "a", "size", "flag", "big", "n");
    assertThat(spec.option("a")).contains("1");
    assertThat(spec.option("missing")).isEmpty();
    assertThat(spec.longOption("n", 0)).isEqualTo(-5);
    assertThat(spec.longOption("missing", 7)).isEqualTo(7);
    assertThat(spec.sizeOption("size", 0)).isEqualTo(4096);
    assertThat(spec.sizeOption("big", 0)).isEqualTo(1L << 40);
    assertThat(spec.sizeOption("missing", 9)).isEqualTo(9);
    assertThat(spec.booleanOption("flag", false)).isTrue();
    assertThat(spec.booleanOption("missing", true)).isTrue();
    assertThat(VfsSpec.parse("m:x?s=16M&g=1G").sizeOption("s", 0)).isEqualTo(16L << 20);
  }

  @Test
  void toStringReadsBackToAnEqualSpec() {
    for (String text :
        new String[] {
          "local:/var/lib/app/wal",
          "memory:orders-test?maxSize=64m",
          "faulty:memory:orders-test?seed=42",
          "faulty:(memory:orders-test?maxSize=64m)?seed=42",
          "faulty:((x))",
          "a:b?k=v&k2=&k3=x=y"
        }) {
      VfsSpec spec = VfsSpec.parse(text);
      assertThat(spec.toString()).as(text).isEqualTo(text);
      assertThat(VfsSpec.parse(spec.toString())).isEqualTo(spec).hasSameHashCodeAs(spec);
    }
  }

  @Test
  void ofBuildsASpecThatPrintsAndParsesBack() {
    Map<String, String> options = new LinkedHashMap<>();
    options.put("seed", "42");
    VfsSpec spec = VfsSpec.of("Faulty", "memory:x?maxSize=1m", options);
    assertThat(spec.toString()).isEqualTo("faulty:(memory:x?maxSize=1m)?seed=42");
    assertThat(VfsSpec.parse(spec.toString())).isEqualTo(spec);
  }

  private static void assertRefused(String spec, String... parts) {
    assertThatThrownBy(() -> VfsSpec.parse(spec))
        .as(spec)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'" + spec + "'")
        .hasMessageContainingAll(parts);
  }

  @Test
  void everyMalformedSpecIsRefusedQuotingItAndSayingWhy() {
    assertRefused("memory", "no provider name");
    assertRefused(":x", "provider name ''");
    assertRefused("9mem:x", "provider name '9mem'");
    assertRefused("me-m:x", "provider name 'me-m'");
    assertRefused("m\u00e9m:x", "provider name");
    assertRefused("a".repeat(128) + ":x", "at most 127");
    assertRefused("memory:", "empty location");
    assertRefused("memory:?a=1", "empty location");
    assertRefused("memory:()", "empty location");
    assertRefused("faulty:(memory:x", "unclosed '('");
    assertRefused("faulty:(memory:x)y", "'y' after the parenthesised location");
    assertRefused("memory:x?", "empty option list");
    assertRefused("memory:x?a", "option 'a' without '=value'");
    assertRefused("memory:x?a=1&&b=2", "option '' without '=value'");
    assertRefused("memory:x?1a=1", "malformed option key '1a'");
    assertRefused("memory:x?=1", "malformed option key ''");
    assertRefused("memory:x?a=1&a=2", "sets option 'a' twice");
  }

  @Test
  void ofRefusesMalformedParts() {
    assertThatThrownBy(() -> VfsSpec.of("m", "", Map.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("empty location");
    assertThatThrownBy(() -> VfsSpec.of("m!", "x", Map.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'m!'");
    assertThatThrownBy(() -> VfsSpec.of("m", "x", Map.of("k", "a&b")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'&' in its value 'a&b'");
    assertThatThrownBy(() -> VfsSpec.of("m", "x", Map.of("k y", "1")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'k y'");
  }

  @Test
  void typedGettersRefuseBadValuesNamingKeyAndValue() {
    VfsSpec spec =
        VfsSpec.parse(
            "m:x?n=ten&s=12q&e=&k=k&neg=-1k&huge=9223372036854775807k&b=yes"
                + "&l=99999999999999999999");
    assertThatThrownBy(() -> spec.longOption("n", 0))
        .hasMessageContaining("n=ten is not an integer");
    assertThatThrownBy(() -> spec.longOption("l", 0))
        .hasMessageContaining("l=99999999999999999999");
    assertThatThrownBy(() -> spec.sizeOption("s", 0)).hasMessageContaining("s=12q is not a size");
    assertThatThrownBy(() -> spec.sizeOption("e", 0)).hasMessageContaining("e= is not a size");
    assertThatThrownBy(() -> spec.sizeOption("k", 0)).hasMessageContaining("k=k is not a size");
    assertThatThrownBy(() -> spec.sizeOption("neg", 0))
        .hasMessageContaining("neg=-1k is not a size");
    assertThatThrownBy(() -> spec.sizeOption("huge", 0)).hasMessageContaining("is too large");
    assertThatThrownBy(() -> spec.booleanOption("b", false))
        .hasMessageContaining("b=yes is not true or false");
    assertThat(spec.badValue("n", "ten", "must be a number"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("spec 'm:x?")
        .hasMessageContaining("option n=ten must be a number");
  }
}
