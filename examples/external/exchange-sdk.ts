/** Stands in for a third-party exchange SDK: an async call that knows nothing of the framework. */
export const exchange = {
  async cancelOrder(orderId: string): Promise<{ cancelled: boolean }> {
    await new Promise((resolve) => setTimeout(resolve, 10));
    return { cancelled: !orderId.endsWith('-filled') };
  },
};
