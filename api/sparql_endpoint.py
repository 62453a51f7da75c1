"""SPARQL 1.1 Protocol endpoint at /sparql (read-only). [stub: being implemented]"""
from fastapi import APIRouter

router = APIRouter()
