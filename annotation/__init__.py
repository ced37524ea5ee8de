"""The annotation stage: the Label Studio config and conversions, agreement, adjudication."""
