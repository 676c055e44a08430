"""Proof of delivery: what reached a beneficiary (or a group), when, from whom, and the proof.

records.py is what a delivery record is and writes one inside a transaction (the served
move of a request writes one that way); operations.py holds the actions people take
(record a delivery, attach a proof, issue a voucher); vouchers.py fills the disbursement
and receipt vouchers; transfers.py the bank batches; register.py the auditors' register.
"""
