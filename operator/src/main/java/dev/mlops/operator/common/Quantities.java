package dev.mlops.operator.common;

import dev.mlops.operator.api.v1alpha1.TrainingJobRules;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Quantity;
import java.math.BigDecimal;
import java.util.Optional;
import java.util.regex.Pattern;

/** Parsing of Kubernetes quantities that arrive as free text in custom resources. */
public final class Quantities {

  private Quantities() {}

  private static final Pattern QUANTITY = Pattern.compile(TrainingJobRules.QUANTITY_REGEX);

  public static String text(IntOrString value) {
    if (value == null) {
      return null;
    }
    return value.getIntVal() != null ? value.getIntVal().toString() : value.getStrVal();
  }

  public static boolean isValid(String text) {
    return text != null && QUANTITY.matcher(text).matches();
  }

  /** The amount in base units (bytes for memory), or empty when the text is not a quantity. */
  public static Optional<BigDecimal> amount(String text) {
    if (!isValid(text)) {
      return Optional.empty();
    }
    return Optional.of(Quantity.getAmountInBytes(new Quantity(text)));
  }

  public static Optional<BigDecimal> amount(Quantity quantity) {
    return quantity == null ? Optional.empty() : amount(quantity.toString());
  }
}
