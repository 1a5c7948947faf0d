-- 042_customer_orders: the screen pop's work orders (ticket/pop.c): a
-- caller's open orders, newest first, by the customer they belong to or
-- by the number they were written for, each half of that OR a seek on
-- its own index.
CREATE INDEX work_orders_customer ON work_orders(customer_id, created_at);
CREATE INDEX work_orders_phone ON work_orders(customer_phone, created_at);
